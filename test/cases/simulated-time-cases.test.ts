import { randomBytes } from 'node:crypto';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { resolvedMaintainer } from '../support/local-project';
import { startStores, testConfig, type Stores } from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';

const DAY = 86_400_000;
const REAL = new Date('2026-12-01T10:00:00Z');
const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

/** `embargo tick --now` runs the services on a simulated clock; the history keeps real time. */
describe('work run as of a simulated instant', () => {
  let stores: Stores;
  let real: Date;
  beforeEach(async () => {
    stores = await startStores();
    real = REAL;
  });
  afterEach(() => stores.stop());

  const realClock = { now: () => real };
  const asOf = (simulated: Date) =>
    stores.services({ config, clock: { now: () => simulated }, historyClock: realClock });

  async function report() {
    const services = stores.services({ config, clock: realClock });
    const delivery: MailDelivery = {
      messageId: randomBytes(8).toString('hex'),
      receivedAt: real,
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    await services.rawMail.put(
      delivery.messageId,
      Buffer.from(rawMessage({ from: 'alice@example.net' })),
    );
    await services.intake.receive(delivery);
    return (await services.cases.list())[0]!;
  }

  it('records events at the real time, with the simulated instant beside them', async () => {
    const opened = await report();
    real = new Date(REAL.getTime() + 60_000);
    const simulated = new Date(REAL.getTime() + 3 * DAY);
    expect((await asOf(simulated).watch.run()).escalated).toBeGreaterThan(0);
    const record = (await asOf(simulated).cases.get(opened.id))!;
    const added = record.history.slice(opened.history.length);
    expect(added.length).toBeGreaterThan(0);
    for (const event of added) {
      expect(event.at).toBe(real.toISOString());
      expect(event.simulatedAt).toBe(simulated.toISOString());
    }
    // Sorted by when they happened, the history keeps its order.
    const times = record.history.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
  });

  it('after a jump ahead past the look-back, still reads the cases and warns', async () => {
    const opened = await report();
    const simulated = new Date(REAL.getTime() + 10 * DAY);
    // Looking back from the simulated instant alone, the case is out of reach...
    expect((await asOf(simulated).watch.run()).checked).toBe(0);
    // ...looking back from the real now (as `tick --now` does), the deadline warning fires.
    const run = await asOf(simulated).watch.run({ lookBackFrom: real });
    expect(run).toMatchObject({ checked: 1 });
    expect(run.escalated).toBeGreaterThan(0);
    const record = (await asOf(simulated).cases.get(opened.id))!;
    expect(record.history.some((e) => e.summary.includes('deadline has passed'))).toBe(true);
  });
});
