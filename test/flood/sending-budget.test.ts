import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSendingBudget } from '../../shared/adapters/dynamodb/flood/dynamodb-sending-budget';
import { localResources } from '../../infra/local/local-settings';
import { AwsRequestCounter } from '../support/aws-request-counter';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { SendingBudgetError } from '../../shared/outbound/sending-budget';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { resolvedMaintainer } from '../support/local-project';
import { readMaildir } from '../support/maildir';
import { memoryLogger, startStores, testConfig, type Stores } from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';

describe('the daily sending budget, against real local DynamoDB and S3 servers', () => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await startStores();
  });
  afterEach(() => stores.stop());

  it('sends acknowledgments first and lets copies wait once the budget runs low', async () => {
    let now = new Date('2026-11-25T09:00:00Z');
    const log = memoryLogger();
    const services: EmbargoServices = stores.services({
      clock: { now: () => now },
      log,
      // 10 a day: copies stop at 9, acknowledgments and notices may use all 10.
      config: { ...testConfig, maxMailsPerDay: 10, maintainers: [resolvedMaintainer('mia')] },
    });
    const deliveries: MailDelivery[] = [];
    const receive = async (n: number) => {
      const delivery: MailDelivery = {
        messageId: randomBytes(10).toString('hex'),
        receivedAt: now,
        envelopeFrom: `r${n}@reporters${n}.example`,
        recipients: ['security@example.org'],
        verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
      };
      await services.rawMail.put(
        delivery.messageId,
        Buffer.from(rawMessage({ from: `r${n}@reporters${n}.example` })),
      );
      deliveries.push(delivery);
      return services.intake.receive(delivery);
    };
    const delivered = async () => (await readMaildir(stores.outboxDir)).map((m) => m.deliveredTo);

    // Four reports: an acknowledgment and a copy each, 8 mails.
    for (let n = 0; n < 4; n++) expect((await receive(n)).kind).toBe('case');
    // The fifth is acknowledged (9), its copy waits: the reserve is reached.
    await expect(receive(4)).rejects.toThrow(SendingBudgetError);
    // The sixth still gets its acknowledgment (10), not its copy.
    await expect(receive(5)).rejects.toThrow(SendingBudgetError);
    // The seventh gets nothing today; its case is open and the watch will acknowledge it.
    await expect(receive(6)).rejects.toThrow(SendingBudgetError);
    let mails = await delivered();
    expect(mails).toHaveLength(10);
    expect(mails.filter((m) => m === 'mia@example.org')).toHaveLength(4);
    for (let n = 0; n < 6; n++) expect(mails).toContain(`r${n}@reporters${n}.example`);
    expect(mails).not.toContain('r6@reporters6.example');
    expect(await services.cases.list()).toHaveLength(7);
    expect(log.lines.filter((l) => l.event === 'outbound.budget-low')).toHaveLength(1);
    expect(log.lines.filter((l) => l.event === 'outbound.budget-spent')).toHaveLength(3);

    // The next UTC day (before any half-time warning): the retried deliveries send the
    // waiting copies, the watch the missing acknowledgment; nothing is sent twice.
    now = new Date('2026-11-26T01:00:00Z');
    for (const d of deliveries.slice(4))
      expect((await services.intake.receive(d)).kind).toBe('case');
    await services.watch.run();
    mails = await delivered();
    expect(mails).toHaveLength(14);
    expect(mails.filter((m) => m === 'mia@example.org')).toHaveLength(7);
    expect(mails.filter((m) => m === 'r6@reporters6.example')).toHaveLength(1);
  });

  it("counts a report's mails with one request, and each mail alone near the limit", async () => {
    const counter = new AwsRequestCounter();
    counter.attach([stores.dynamoClient]);
    const stored = async () =>
      (
        await stores.dynamoClient.send(
          new GetCommand({
            TableName: localResources.tableName,
            Key: { pk: 'SENDBUDGET#2026-11-25', sk: 'SENDBUDGET' },
          }),
        )
      ).Item?.n;
    const now = new Date('2026-11-25T09:00:00Z');
    // 20 a day, copies up to 18; an acknowledgment and three copies counted together.
    const budget = new DynamoDbSendingBudget(stores.dynamoClient, localResources.tableName, 20, 4);
    const spend = async (priority: 'first' | 'deferrable', times: number) => {
      const answers = [];
      for (let i = 0; i < times; i++) answers.push(await budget.spend(priority, now));
      return answers;
    };

    expect(await spend('first', 4)).toEqual(
      [1, 2, 3, 4].map((n) => ({ allowed: true, sentToday: n })),
    );
    expect(counter.requests).toEqual(['DynamoDB UpdateItem']);
    expect(await stored()).toBe(4);
    await spend('deferrable', 12); // three more leases: 16 counted
    const updates = () => counter.requests.filter((r) => r === 'DynamoDB UpdateItem');
    expect(updates()).toHaveLength(4);
    expect(await stored()).toBe(16);

    // 16 + 4 would pass the copies' 18: the lease is refused, and each mail counts alone.
    expect(await spend('deferrable', 3)).toEqual([
      { allowed: true, sentToday: 17 },
      { allowed: true, sentToday: 18 },
      { allowed: false, sentToday: 18, limit: 18 },
    ]);
    expect(await spend('first', 3)).toEqual([
      { allowed: true, sentToday: 19 },
      { allowed: true, sentToday: 20 },
      { allowed: false, sentToday: 20, limit: 20 },
    ]);
    expect(await stored()).toBe(20);
    // The lease refused once that day is not asked again: one request per mail.
    expect(updates()).toHaveLength(4 + 1 + 3 + 3);
  });
});
