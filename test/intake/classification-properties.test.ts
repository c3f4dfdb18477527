import fc from 'fast-check';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { classifyInbound } from '../../shared/intake/mail-classification';
import { parseInboundMail } from '../../shared/mail/parse-inbound-mail';
import { mimeLimitExceeded } from '../../shared/mail/mime-limits';

const SECURITY = 'security@example.org';
const verdict = fc.constantFrom('PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED' as const);
const delivery = fc.record({
  messageId: fc.constant('m'),
  receivedAt: fc.constant(new Date('2026-11-25T09:00:00Z')),
  envelopeFrom: fc.oneof(fc.constant(''), fc.emailAddress(), fc.string()),
  recipients: fc.constant([SECURITY]),
  verdicts: fc.record({ spam: verdict, virus: verdict, dkim: verdict, dmarc: verdict }),
}) as fc.Arbitrary<MailDelivery>;

const headerName = fc.oneof(
  fc.constantFrom(
    'auto-submitted',
    'precedence',
    'list-id',
    'x-autoreply',
    'from',
    'subject',
    'content-type',
  ),
  fc.string({ minLength: 1, maxLength: 20 }).map((s) => s.toLowerCase()),
);
const mail = fc.record({
  from: fc.option(
    fc.record({ address: fc.oneof(fc.emailAddress(), fc.constant(SECURITY), fc.string()) }),
    { nil: undefined },
  ),
  subject: fc.string(),
  references: fc.array(fc.string(), { maxLength: 3 }),
  headers: fc
    .dictionary(headerName, fc.string(), { maxKeys: 8 })
    .map((d) => new Map(Object.entries(d))),
  contentType: fc.oneof(
    fc.constant('text/plain'),
    fc.constant('multipart/report; report-type=delivery-status'),
    fc.string(),
  ),
});

describe('intake classification with random input (property)', () => {
  it('never throws, is deterministic, and never takes automatic, bulk or flagged mail for a report', () => {
    fc.assert(
      fc.property(mail, delivery, (m, d) => {
        const first = classifyInbound(m, d, SECURITY);
        expect(classifyInbound(m, d, SECURITY)).toEqual(first);
        if (first.kind === 'report') {
          expect(d.verdicts.virus).not.toBe('FAIL');
          expect(d.verdicts.spam).not.toBe('FAIL');
          expect(m.from).toBeDefined();
          const auto = m.headers.get('auto-submitted')?.trim().toLowerCase();
          expect(auto === undefined || auto === '' || auto.startsWith('no')).toBe(true);
          expect(m.headers.has('list-id')).toBe(false);
          expect(d.envelopeFrom.trim()).not.toBe('');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('parses and classifies random bytes without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), delivery, async (bytes, d) => {
        const raw = Buffer.from(bytes);
        mimeLimitExceeded(raw);
        const parsed = await parseInboundMail(raw);
        const result = classifyInbound(parsed, d, SECURITY);
        expect(['report', 'rejected']).toContain(result.kind);
      }),
      { numRuns: 300 },
    );
  });
});
