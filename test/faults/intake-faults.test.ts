import { verifyChain } from '../../shared/cases/case-history';
import { intakeHandler } from '../../functions/intake';
import { DeliveryInProgressError } from '../../shared/errors';
import { buildSesReceiptEvent } from '../../shared/events/ses-receipt-event';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { FaultPlan } from '../support/fault-plan';
import { resolvedMaintainer } from '../support/local-project';
import { startStores, testConfig, type Stores } from '../support/local-stores';
import { maildirFiles, readMaildir } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const config = {
  ...testConfig,
  maintainers: [resolvedMaintainer('mia'), resolvedMaintainer('max')],
};

/** Real time, moved on by Lambda's retry delay after each failed attempt. */
class RetryClock {
  private offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
  retryLater(): void {
    this.offsetMs += 2 * 60_000;
  }
}

describe('intake under faults: every report ends with one case and one acknowledgment', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  const delivery = (n: number, messageId = `fault-${n}`): MailDelivery => ({
    messageId,
    receivedAt: new Date(),
    envelopeFrom: `reporter${n}@example.net`,
    recipients: ['security@example.org'],
    verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
  });

  async function store(
    n: number,
    services: EmbargoServices,
    messageId = `fault-${n}`,
  ): Promise<void> {
    const raw = rawMessage({
      from: `reporter${n}@example.net`,
      messageId: `<report-${n}@example.net>`,
    });
    await services.rawMail.put(messageId, Buffer.from(raw));
  }

  /** Runs intake until it succeeds, as Lambda's retries (and then the DLQ redrive) would. */
  async function untilDone(services: EmbargoServices, d: MailDelivery, clock?: RetryClock) {
    for (let attempt = 1; attempt <= 5; attempt++) {
      try {
        return await services.intake.receive(d);
      } catch {
        // The fault: try again (as Lambda does, a minute or two later: a hold that a lost
        // answer left on the delivery has run out by then).
        clock?.retryLater();
      }
    }
    throw new Error('intake never succeeded');
  }

  async function assertExactlyOnce(n: number, services: EmbargoServices, resentTo?: string) {
    const mine = (await services.cases.list()).filter(
      (c) => c.reporter.address === `reporter${n}@example.net`,
    );
    expect(mine).toHaveLength(1);
    const record = mine[0]!;
    expect(record.acknowledgedAt).toBeDefined();
    expect(verifyChain(record.history)).toEqual({ intact: true });
    expect(new Set(record.history.map((e) => e.id)).size).toBe(record.history.length);
    const mails = (await readMaildir(stores.outboxDir)).filter((m) =>
      m.subject?.startsWith(`[${record.id}]`),
    );
    const to = (address: string) => mails.filter((m) => m.deliveredTo === address).length;
    expect({
      reporter: to(`reporter${n}@example.net`),
      mia: to('mia@example.org'),
      max: to('max@example.org'),
    }).toEqual({
      reporter: resentTo === `reporter${n}@example.net` ? 2 : 1,
      mia: resentTo === 'mia@example.org' ? 2 : 1,
      max: resentTo === 'max@example.org' ? 2 : 1,
    });
  }

  it('fails each dependency call in turn (store, table, send), then retries', async () => {
    // A clean run counts the calls one report makes.
    const probe = new FaultPlan();
    const clean = stores.services({ config, faults: probe });
    await store(0, clean);
    probe.calls = 0;
    probe.log.length = 0;
    await untilDone(clean, delivery(0));
    const calls = probe.calls;
    expect(calls).toBeGreaterThan(10);
    expect(probe.log.join('\n')).toMatch(/s3 GetObject[\s\S]*dynamodb[\s\S]*send to reporter0/);

    for (let k = 1; k <= calls; k++) {
      const plan = new FaultPlan();
      const services = stores.services({ config, faults: plan });
      await store(k, services);
      plan.calls = 0;
      plan.failAt = k;
      await untilDone(services, delivery(k));
      expect(plan.log.some((l) => l.endsWith('FAILED'))).toBe(true);
      await assertExactlyOnce(k, services);
    }
  }, 300_000);

  it('loses the answer of each dependency call in turn (written, then a failure), then retries', async () => {
    // The transactions of #24 matter most here: the case and its reservation are written
    // together, and a retry that never heard so must find them, not open a second case.
    const probe = new FaultPlan();
    const clean = stores.services({ config, faults: probe });
    await store(100, clean);
    probe.calls = 0;
    probe.log.length = 0;
    await untilDone(clean, delivery(100));
    const calls = probe.calls;
    expect(probe.log.filter((l) => l.includes('TransactWrite'))).toHaveLength(2);

    for (let k = 1; k <= calls; k++) {
      const n = 100 + k;
      const plan = new FaultPlan();
      const clock = new RetryClock();
      const services = stores.services({ config, faults: plan, clock });
      await store(n, services);
      plan.calls = 0;
      plan.loseAnswerAt = k;
      await untilDone(services, delivery(n), clock);
      expect(plan.log.some((l) => l.endsWith('ANSWER LOST'))).toBe(true);
      // SES's SendEmail takes no idempotency token: a send whose answer is lost may have gone,
      // and is sent again (at least once, never lost; docs/intake.md). Every write is once.
      const lost = plan.log.find((l) => l.endsWith('ANSWER LOST'))!;
      const resentTo = /send to (\S+) ANSWER LOST/.exec(lost)?.[1];
      await assertExactlyOnce(n, services, resentTo);
    }
  }, 300_000);

  it('gives a message delivered three times the same result as once', async () => {
    const services = stores.services({ config });
    const n = 1000;
    await store(n, services, 'triple-a');
    await store(n, services, 'triple-b');
    const first = await services.intake.receive(delivery(n, 'triple-a'));
    // The same SES delivery again, and the same mail under a new delivery id.
    expect(await services.intake.receive(delivery(n, 'triple-a'))).toEqual(first);
    expect(await services.intake.receive(delivery(n, 'triple-b'))).toEqual({
      kind: 'duplicate',
      duplicateOf: 'triple-a',
    });
    await assertExactlyOnce(n, services);
    expect(maildirFiles(stores.outboxDir).length).toBeGreaterThan(0);
  });

  it('gives a delivery invoked three times at once the same result as once', async () => {
    // Lambda may run an asynchronous event more than once, and not necessarily one after the
    // other. Two invocations at once each find the ack unsent; only one may send it.
    const services = stores.services({ config });
    const n = 1001;
    await store(n, services, 'together');
    const attempts = await Promise.allSettled(
      [1, 2, 3].map(() => services.intake.receive(delivery(n, 'together'))),
    );
    const fulfilled = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    const refused = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason] : []));
    expect(fulfilled.length).toBeGreaterThanOrEqual(1);
    for (const reason of refused) expect(reason).toBeInstanceOf(DeliveryInProgressError);
    // What Lambda does with the refused ones: run them again later.
    const retried = await Promise.all(
      refused.map(() => services.intake.receive(delivery(n, 'together'))),
    );
    const outcomes = [...fulfilled, ...retried];
    expect(outcomes).toHaveLength(3);
    expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);
    expect(outcomes[0]!.kind).toBe('case');
    await assertExactlyOnce(n, services);
  });

  it('refuses a repeat while another invocation holds the delivery, and says until when', async () => {
    const services = stores.services({ config });
    const n = 1003;
    await store(n, services, 'held');
    // An invocation that took the delivery and has not finished (or was stopped mid-way).
    const until = new Date(Date.now() + 60_000);
    await services.ledger.take('held', 'another-invocation', new Date(), until);
    const refusal = services.intake.receive(delivery(n, 'held'));
    await expect(refusal).rejects.toBeInstanceOf(DeliveryInProgressError);
    await expect(refusal).rejects.toMatchObject({ messageId: 'held', until: until.toISOString() });
    await expect(refusal).rejects.toThrow(/the delivery is retried/);
    const mail = await readMaildir(stores.outboxDir);
    expect(mail.filter((m) => m.deliveredTo === 'reporter1003@example.net')).toEqual([]);
    expect((await services.cases.list()).some((c) => c.reporter.address.includes('1003'))).toBe(
      false,
    );
  });

  it("holds a delivery until Lambda's deadline for the invocation, read from its context", async () => {
    // The S3 read and the release after it both fail: the hold stays, and the refusal of the
    // next attempt shows until when the handler held it.
    const plan = new FaultPlan();
    const services = stores.services({ config, faults: plan });
    const n = 1005;
    await store(n, services, 'deadline');
    const step = plan.step.bind(plan);
    let readFailed = false;
    plan.step = (what: string) => {
      if (what === 's3 GetObjectCommand') readFailed = true;
      if (readFailed) throw new Error(`injected: ${what}`);
      return step(what);
    };
    const event = buildSesReceiptEvent({
      messageId: 'deadline',
      receivedAt: new Date(),
      envelopeFrom: `reporter${n}@example.net`,
      recipients: ['security@example.org'],
      functionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:intake',
    });
    const before = Date.now();
    await expect(
      intakeHandler(() => services)(event, {
        getRemainingTimeInMillis: () => 20_000,
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:intake',
      }),
    ).rejects.toThrow('injected: s3 GetObjectCommand');
    const after = Date.now();
    plan.step = step;
    const refusal = services.intake.receive(delivery(n, 'deadline'));
    await expect(refusal).rejects.toBeInstanceOf(DeliveryInProgressError);
    const until = Date.parse(((await refusal.catch((e: unknown) => e)) as { until: string }).until);
    // Lambda's deadline plus 5 s for other hosts' clocks; without the context it would be 65 s.
    expect(until).toBeGreaterThanOrEqual(before + 25_000);
    expect(until).toBeLessThanOrEqual(after + 25_000);
  });

  it('takes over a delivery whose holder stopped without finishing, once its time has passed', async () => {
    const services = stores.services({ config });
    const n = 1004;
    await store(n, services, 'abandoned');
    // Lambda stopped the holder at its timeout: the hold was never given up, only ran out.
    await services.ledger.take('abandoned', 'timed-out', new Date(), new Date(Date.now() - 1));
    expect((await services.intake.receive(delivery(n, 'abandoned'))).kind).toBe('case');
    await assertExactlyOnce(n, services);
  });

  it('gives one mail delivered three times at once one case', async () => {
    const services = stores.services({ config });
    const n = 1002;
    const ids = ['at-once-a', 'at-once-b', 'at-once-c'];
    for (const id of ids) await store(n, services, id);
    const outcomes = await Promise.all(ids.map((id) => untilDone(services, delivery(n, id))));
    expect(outcomes.filter((o) => o.kind === 'case')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(2);
    await assertExactlyOnce(n, services);
  });
});
