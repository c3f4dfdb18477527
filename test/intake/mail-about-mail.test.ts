import type { CaseId } from '../../shared/cases/case-id';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { resolvedMaintainer } from '../support/local-project';
import { startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

/** A feedback report as RFC 5965 lays it out (section 3 and its example in appendix B). */
function feedbackReport(from: string, originalMessageId: string): string {
  return [
    `From: ${from}`,
    'To: security@example.org',
    'Subject: FW: Your report to the example security team was received',
    'Date: Thu, 26 Nov 2026 09:00:00 +0000',
    'Message-ID: <arf-1@email-abuse.amazonses.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=feedback-report; boundary="part"',
    '',
    '--part',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report for an email message received from IP 192.0.2.1.',
    '',
    '--part',
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: SomeGenerator/1.0',
    'Version: 1',
    'Original-Rcpt-To: alice@example.net',
    '',
    '--part',
    'Content-Type: text/rfc822-headers',
    '',
    'From: example security team <security@example.org>',
    'To: alice@example.net',
    `Message-ID: ${originalMessageId}`,
    'Subject: [SEC-2026-0001] Your report to the example security team was received',
    '',
    '--part--',
    '',
  ].join('\r\n');
}

function deliveryStatusReport(): string {
  return [
    'From: postmaster@mx.example.com',
    'To: security@example.org',
    'Subject: Delivery Status Notification (Failure)',
    'Message-ID: <dsn-1@mx.example.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type="delivery-status"; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Your message could not be delivered.',
    '--b',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.com',
    '',
    'Final-Recipient: rfc822; nobody@example.com',
    'Action: failed',
    'Status: 5.1.1',
    '--b--',
    '',
  ].join('\r\n');
}

/**
 * Mail SES (or another server) sends about mail: a complaint forwarded as an ARF report, a
 * delivery status report. Neither opens a case or gets an answer; SES's own complaint goes on
 * the case of the mail it names, as the complaints SES publishes to the events topic do.
 */
describe('feedback and delivery status reports to the security address', () => {
  let stores: Stores;
  let seq = 0;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  async function deliver(raw: string, overrides: Partial<MailDelivery> = {}) {
    const services = stores.services({ config });
    const delivery: MailDelivery = {
      messageId: `about-mail-${++seq}`,
      receivedAt: new Date(),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
      ...overrides,
    };
    await services.rawMail.put(delivery.messageId, Buffer.from(raw));
    return services.intake.receive(delivery);
  }

  it("records SES's complaint report on the case it names, opens no case and answers nobody", async () => {
    const opened = await deliver(rawMessage({ from: 'alice@example.net' }));
    if (opened.kind !== 'case') throw new Error(JSON.stringify(opened));
    const ack = (await readMaildir(stores.outboxDir)).find(
      (m) => m.deliveredTo === 'alice@example.net',
    )!;
    const before = (await readMaildir(stores.outboxDir)).length;

    const ses = 'complaints@email-abuse.amazonses.com';
    const outcome = await deliver(feedbackReport(ses, ack.parsed.messageId!), {
      envelopeFrom: '0100019a-ses@email-abuse.amazonses.com',
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
    });
    expect(outcome).toEqual({ kind: 'rejected', reason: 'feedback-report' });
    const cases = await stores.services({ config }).cases.list();
    expect(cases).toHaveLength(1);
    const record = await stores.services({ config }).cases.get(opened.caseId as CaseId);
    const problem = record!.history.find((e) => e.type === 'delivery-problem');
    expect(problem?.summary).toMatch(/complain/i);
    expect(problem?.summary).toContain('alice@example.net');
    // The maintainers are told, as of any complaint; nothing goes to SES or the reporter.
    const after = await readMaildir(stores.outboxDir);
    const sent = after.slice(0).filter((m) => !new Set([ack.file]).has(m.file));
    expect(sent.map((m) => m.deliveredTo)).not.toContain(ses);
    expect(after.filter((m) => m.deliveredTo === 'alice@example.net')).toHaveLength(1);
    expect(after.length).toBeGreaterThan(before);
  });

  it('records a forged complaint report (not signed by SES) on no case', async () => {
    const outcome = await deliver(
      feedbackReport('complaints@email-abuse.amazonses.com', '<whatever@example.org>'),
    );
    expect(outcome).toEqual({ kind: 'rejected', reason: 'feedback-report' });
  });

  it('opens no case for a delivery status report from an ordinary sender', async () => {
    const before = (await stores.services({ config }).cases.list()).length;
    const outcome = await deliver(deliveryStatusReport(), {
      envelopeFrom: 'postmaster@mx.example.com',
    });
    expect(outcome).toEqual({ kind: 'rejected', reason: 'bounce' });
    expect(await stores.services({ config }).cases.list()).toHaveLength(before);
  });
});
