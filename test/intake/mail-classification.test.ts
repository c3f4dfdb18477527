import type { InboundMail, MailDelivery } from '../../shared/mail/inbound-mail';
import { classifyInbound } from '../../shared/intake/mail-classification';

const SECURITY = 'security@example.org';

function mail(
  headers: Record<string, string> = {},
  overrides: Partial<InboundMail> = {},
): InboundMail {
  return {
    from: { address: 'alice@example.net' },
    subject: 'Heap overflow',
    references: [],
    headers: new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    contentType: 'text/plain',
    ...overrides,
  };
}

function delivery(overrides: Partial<MailDelivery> = {}): MailDelivery {
  return {
    messageId: 'm1',
    receivedAt: new Date('2026-11-25T09:00:00Z'),
    envelopeFrom: 'alice@example.net',
    recipients: [SECURITY],
    verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    ...overrides,
  };
}

const classify = (m: InboundMail, d = delivery()) => classifyInbound(m, d, SECURITY);

describe('intake classification', () => {
  it('takes ordinary mail as a report', () => {
    expect(classify(mail())).toEqual({ kind: 'report' });
    expect(classify(mail({ 'Auto-Submitted': 'no' }))).toEqual({ kind: 'report' });
    expect(classify(mail({ Precedence: 'first-class' }))).toEqual({ kind: 'report' });
  });

  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }, 'auto-submitted'],
    [{ 'Auto-Submitted': 'auto-generated; owner-email="x@y"' }, 'auto-submitted'],
    [{ 'X-Autoreply': 'yes' }, 'auto-submitted'],
    [{ Precedence: 'bulk' }, 'bulk-or-list'],
    [{ Precedence: 'JUNK' }, 'bulk-or-list'],
    [{ Precedence: 'list' }, 'bulk-or-list'],
    [{ 'List-Id': '<x.example.net>' }, 'bulk-or-list'],
    [{ 'List-Unsubscribe': '<mailto:u@example.net>' }, 'bulk-or-list'],
  ])('rejects mail with %j as %s', (headers, reason) => {
    expect(classify(mail(headers))).toEqual({ kind: 'rejected', reason });
  });

  it('rejects bounces: null sender, MAILER-DAEMON, delivery status reports', () => {
    expect(classify(mail(), delivery({ envelopeFrom: '' }))).toEqual({
      kind: 'rejected',
      reason: 'bounce',
    });
    expect(classify(mail(), delivery({ envelopeFrom: '<>' }))).toEqual({
      kind: 'rejected',
      reason: 'bounce',
    });
    expect(classify(mail(), delivery({ envelopeFrom: 'MAILER-DAEMON@mx.example.net' }))).toEqual({
      kind: 'rejected',
      reason: 'bounce',
    });
    expect(
      classify(
        mail({}, { contentType: 'multipart/report; report-type=delivery-status; boundary="x"' }),
      ),
    ).toEqual({ kind: 'rejected', reason: 'bounce' });
  });

  it('rejects SES virus and spam verdicts before anything else', () => {
    expect(
      classify(
        mail(),
        delivery({ verdicts: { spam: 'PASS', virus: 'FAIL', dkim: 'GRAY', dmarc: 'GRAY' } }),
      ),
    ).toEqual({
      kind: 'rejected',
      reason: 'virus',
    });
    expect(
      classify(
        mail(),
        delivery({ verdicts: { spam: 'FAIL', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' } }),
      ),
    ).toEqual({
      kind: 'rejected',
      reason: 'spam',
    });
    expect(
      classify(
        mail(),
        delivery({ verdicts: { spam: 'GRAY', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' } }),
      ),
    ).toEqual({
      kind: 'report',
    });
  });

  it('rejects mail from the security address or its reply addresses (loops)', () => {
    expect(classify(mail({}, { from: { address: 'SECURITY@example.org' } }))).toEqual({
      kind: 'rejected',
      reason: 'from-security-address',
    });
    expect(classify(mail(), delivery({ envelopeFrom: 'security+abc@example.org' }))).toEqual({
      kind: 'rejected',
      reason: 'from-security-address',
    });
  });

  it('rejects mail without a From address', () => {
    expect(classify(mail({}, { from: undefined }))).toEqual({
      kind: 'rejected',
      reason: 'no-sender',
    });
  });
});
