import {
  encryptedReport,
  plainReport,
  projectPublicKey,
} from '../../bench/support/report-messages';
import { benchConfig, fixture } from '../../bench/support/bench-support';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { FaultPlan } from '../support/fault-plan';
import { startStores, type Stores } from '../support/local-stores';

/**
 * DynamoDB round trips per report, with the benchmark's three maintainers. Each call is a
 * request in Lambda's critical path (issue #7: it was 32), so a change that adds calls to the
 * hot path shows here as a count, not as a timing.
 */
describe('DynamoDB calls per report', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  async function callsFor(raw: Buffer, n: number): Promise<Record<string, number>> {
    const plan = new FaultPlan();
    const services = stores.services({ config: benchConfig(), faults: plan });
    const messageId = `calls-${n}`;
    await services.rawMail.put(messageId, raw);
    plan.log.length = 0;
    const delivery: MailDelivery = {
      messageId,
      receivedAt: new Date(),
      envelopeFrom: 'reporter@reporters.bench.example',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    expect((await services.intake.receive(delivery)).kind).toBe('case');
    const byCommand: Record<string, number> = {};
    for (const line of plan.log) {
      const command = /: dynamodb (\w+)/.exec(line)?.[1];
      if (command) byCommand[command] = (byCommand[command] ?? 0) + 1;
    }
    return byCommand;
  }

  /**
   * Taking the delivery (which also reads what an earlier attempt recorded); one transaction for
   * the admission counters of the sender's address and domain (issue #17) with the duplicate
   * fingerprint; the sequence; one transaction for the id reservation with the case (reply
   * tokens and Message-ID secret inside); the day's sending budget, one conditional update for
   * the report's four mails, counted together; one record per sent mail (ack and three copies:
   * one BatchWriteItem each, under Embargo's Message-ID and the one SES gave it); one case write
   * for acknowledged + forwarded; the outcome. After the acknowledgment, the sender's history
   * (#28): one update that adds the case to the sender's set and returns their earlier cases (a
   * first-time sender has none to read); and one Query of the case list to compare the report
   * with earlier cases (duplicate detection, #28; one page while the cases fit in 1 MB): 13 in
   * all (17 before #24; 16 before the transactions).
   */
  const CEILING = 13;
  const total = (counts: Record<string, number>) =>
    Object.values(counts).reduce((a, b) => a + b, 0);

  it('a plain report with three maintainers makes at most 13 calls', async () => {
    const counts = await callsFor(plainReport(1, 'calls').raw, 1);
    expect(total(counts)).toBeLessThanOrEqual(CEILING);
  });

  // Plus one conditional Put per ciphertext: its fingerprint, to recognise it if it is ever
  // sent again (a replayed report, issue 25).
  it('an encrypted report with three maintainers makes at most 14 calls', async () => {
    const key = await projectPublicKey(fixture('project-public.asc'));
    const counts = await callsFor((await encryptedReport(2, 'calls', key)).raw, 2);
    expect(total(counts)).toBeLessThanOrEqual(CEILING + 1);
    // No read at all: not of the ledger (taking the delivery returns it), nor of the case or of
    // the outbox on the way (the case was created by this very call).
    expect(counts['GetItemCommand']).toBeUndefined();
    expect(counts['UpdateItemCommand']).toBe(6);
    expect(counts['TransactWriteItemsCommand']).toBe(2);
    expect(counts['BatchWriteItemCommand']).toBe(4);
  });
});
