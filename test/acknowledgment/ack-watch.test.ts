import { randomBytes } from 'node:crypto';
import { MaildirMailTransport } from '../../shared/adapters/maildir/maildir-mail-transport';
import { dueEscalations } from '../../shared/acknowledgment/ack-watch';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import type {
  MailTransport,
  RawOutboundMail,
  TransportReceipt,
} from '../../shared/outbound/mail-transport';
import { resolvedMaintainer } from '../support/local-project';
import { readMaildir } from '../support/maildir';
import { startStores, testConfig, type Stores } from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';

const HOUR = 3_600_000;
const T0 = new Date('2026-11-25T09:00:00Z');
const config = {
  ...testConfig,
  maintainers: [resolvedMaintainer('mia')],
};

/** Fails sends to one address while set: SES refusing it, which no emulator does on cue. */
class SwitchableTransport implements MailTransport {
  failFor: string | undefined;
  constructor(private readonly inner: MailTransport) {}
  async send(mail: RawOutboundMail): Promise<TransportReceipt> {
    if (mail.recipient === this.failFor) throw new Error(`simulated refusal of ${mail.recipient}`);
    return this.inner.send(mail);
  }
}

describe('the 48-hour watch', () => {
  let stores: Stores;
  let now: Date;
  let transport: SwitchableTransport;
  const services = () => stores.services({ config, transport, clock: { now: () => now } });

  beforeEach(async () => {
    stores = await startStores();
    now = T0;
    transport = new SwitchableTransport(new MaildirMailTransport(stores.outboxDir));
  });
  afterEach(() => stores.stop());

  async function report(): Promise<CaseRecord> {
    const delivery: MailDelivery = {
      messageId: randomBytes(8).toString('hex'),
      receivedAt: now,
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    await services().rawMail.put(
      delivery.messageId,
      Buffer.from(rawMessage({ from: 'alice@example.net' })),
    );
    await services()
      .intake.receive(delivery)
      .catch(() => undefined);
    return (await services().cases.list())[0]!;
  }

  const subjects = async (to: string) =>
    (await readMaildir(stores.outboxDir))
      .filter((m) => m.deliveredTo === to)
      .map((m) => m.subject ?? '');

  it('warns the maintainers at half time and six hours before the deadline, once each', async () => {
    await report();
    now = new Date(T0.getTime() + 23 * HOUR);
    expect((await services().watch.run()).escalated).toBe(0);
    now = new Date(T0.getTime() + 24 * HOUR);
    expect((await services().watch.run()).escalated).toBe(1);
    expect((await services().watch.run()).escalated).toBe(0);
    now = new Date(T0.getTime() + 42 * HOUR);
    expect((await services().watch.run()).escalated).toBe(1);
    const warnings = (await subjects('mia@example.org')).filter((s) => s.includes('ACTION NEEDED'));
    expect(warnings).toHaveLength(2);
    expect(warnings.some((s) => s.includes('Half of the answer time'))).toBe(true);
    expect(warnings.some((s) => s.includes('deadline is close'))).toBe(true);
    // The warnings are encrypted: outside, only the case tag and fixed words.
    const outer = (await readMaildir(stores.outboxDir))
      .filter((m) => m.deliveredTo === 'mia@example.org' && m.subject.includes('ACTION NEEDED'))
      .map((m) => m.parsed.subject);
    expect(outer).toEqual([
      expect.stringMatching(/^\[SEC-\d{4}-\d{4}\] Encrypted message$/),
      expect.anything(),
    ]);
    expect(new Set(outer).size).toBe(1);
  });

  it('retries an acknowledgment that could not be sent, and tells the maintainers in time', async () => {
    transport.failFor = 'alice@example.net';
    const record = await report();
    expect(record.acknowledgedAt).toBeUndefined();

    now = new Date(T0.getTime() + HOUR);
    expect(await services().watch.run()).toMatchObject({ acknowledged: 0, escalated: 1 });
    const told = (await subjects('mia@example.org')).filter((s) =>
      s.includes('acknowledgment could not be sent'),
    );
    expect(told).toHaveLength(1);
    transport.failFor = undefined;
    now = new Date(T0.getTime() + 2 * HOUR);
    expect((await services().watch.run()).acknowledged).toBe(1);
    expect(await subjects('alice@example.net')).toHaveLength(1);
    expect((await services().cases.get(record.id))?.acknowledgedAt).toBeDefined();
    expect((await services().watch.run()).acknowledged).toBe(0);
  });

  it('reads only recent cases: older ones are past every warning', async () => {
    await report();
    now = new Date(T0.getTime() + 7 * 24 * HOUR);
    expect((await services().watch.run()).checked).toBe(1);
    now = new Date(T0.getTime() + 9 * 24 * HOUR);
    expect((await services().watch.run()).checked).toBe(0);
  });

  it('stops warning once a maintainer has answered or the case is closed', () => {
    const base = {
      status: 'new',
      receivedAt: T0.toISOString(),
      ackDueAt: new Date(T0.getTime() + 48 * HOUR).toISOString(),
      history: [],
    } as unknown as CaseRecord;
    const late = new Date(T0.getTime() + 47 * HOUR);
    // Only the stage that applies, however far time moved since the last run.
    expect(dueEscalations(base, new Date(T0.getTime() + 25 * HOUR))).toEqual(['half-time']);
    expect(dueEscalations(base, late)).toEqual(['final-warning']);
    expect(dueEscalations(base, new Date(T0.getTime() + 30 * 24 * HOUR))).toEqual(['missed']);
    expect(
      dueEscalations(
        { ...base, history: [{ type: 'maintainer-reply' }] } as unknown as CaseRecord,
        late,
      ),
    ).toEqual([]);
    expect(dueEscalations({ ...base, status: 'closed' }, late)).toEqual([]);
  });
});
