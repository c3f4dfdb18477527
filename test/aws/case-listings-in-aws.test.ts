import { benchConfig, fixture } from '../../bench/support/bench-support';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { startAwsTier, TIER, type AwsTier } from '../support/aws-tier';
import { caseRecord } from '../support/case-builder';
import { motoSkipReason } from '../support/moto-server';

/**
 * The case listings against the AWS API emulator: the list index queried with a
 * ProjectionExpression (duplicate detection) and with BETWEEN on its sort key (stats --to).
 */
const reportIndex = { terms: { heap: 2 }, identifiers: [], classes: ['memory-safety'] };
const skip = motoSkipReason();
const describeInAws = skip ? describe.skip : describe;
if (skip) console.warn(skip);

describeInAws('the case listings in DynamoDB (moto_server)', () => {
  let tier: AwsTier;
  let cases: DynamoDbCaseRepository;

  beforeAll(async () => {
    tier = await startAwsTier(benchConfig(), fixture('project-secret.asc'));
    cases = new DynamoDbCaseRepository(tier.clients.dynamo, TIER.table);
    const at = ['2026-03-31T23:59:59.999Z', '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'];
    for (const [i, receivedAt] of at.entries())
      await cases.createIfAbsent(
        caseRecord(`SEC-2026-000${i + 1}`, { receivedAt, status: 'new', reportIndex }),
      );
  });
  afterAll(() => tier?.stop());

  it('returns the compared fields only, newest first', async () => {
    expect(await cases.listCompared()).toEqual(
      ['SEC-2026-0003', 'SEC-2026-0002', 'SEC-2026-0001'].map((id) => ({
        id,
        status: 'new',
        reportIndex,
      })),
    );
  });

  it('bounds a range by arrival in the key condition: `from` included, `before` not', async () => {
    const ids = async (range: { from?: string; before?: string }) =>
      (await cases.listReceived(range)).map((r) => r.id);
    expect(
      await ids({ from: '2026-04-01T00:00:00.000Z', before: '2026-05-01T00:00:00.000Z' }),
    ).toEqual(['SEC-2026-0002']);
    expect(await ids({ before: '2026-04-01T00:00:00.000Z' })).toEqual(['SEC-2026-0001']);
    // Empty (DynamoDB itself would refuse a BETWEEN with its bounds the wrong way round).
    expect(
      await ids({ from: '2026-05-01T00:00:00.000Z', before: '2026-04-01T00:00:00.000Z' }),
    ).toEqual([]);
    expect(await ids({ from: '2026-04-01T00:00:00.000Z' })).toEqual([
      'SEC-2026-0003',
      'SEC-2026-0002',
    ]);
  });
});
