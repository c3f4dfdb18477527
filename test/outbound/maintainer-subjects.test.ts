import { randomBytes } from 'node:crypto';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { resolvedMaintainer } from '../support/local-project';
import { startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

/**
 * A maintainer's decrypted inbox shows what each case is about: the report's title is in the
 * protected Subject of their copy (decrypted with GnuPG), never in the clear one.
 */
describe("the subject of maintainers' copies", () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  it('carries the title inside the encryption only, on one line, without reordering marks', async () => {
    const services = stores.services({ config });
    const delivery: MailDelivery = {
      messageId: randomBytes(10).toString('hex'),
      receivedAt: new Date(),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    const subject = 'Heap overflow in \u202eparse_header()';
    await services.rawMail.put(
      delivery.messageId,
      Buffer.from(rawMessage({ from: 'alice@example.net', subject })),
    );
    const outcome = await services.intake.receive(delivery);
    if (outcome.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const [copy] = (await readMaildir(stores.outboxDir)).filter(
      (m) => m.deliveredTo === 'mia@example.org',
    );
    expect(copy?.subject).toBe(`[${outcome.caseId}] New report: Heap overflow in parse_header()`);
    expect(copy?.parsed.subject).toBe(`[${outcome.caseId}] Encrypted message`);
    expect(copy?.raw).not.toContain('Heap overflow');
  });
});
