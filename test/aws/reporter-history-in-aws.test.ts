import { benchConfig, fixture } from '../../bench/support/bench-support';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbReporterHistory } from '../../shared/adapters/dynamodb/dynamodb-reporter-history';
import { startAwsTier, TIER, type AwsTier } from '../support/aws-tier';
import { caseRecord } from '../support/case-builder';
import { motoSkipReason } from '../support/moto-server';

/**
 * The sender's history against the AWS API emulator: `ADD` to a string set with
 * `ReturnValues: ALL_OLD` (UpdateItem) returns the set as it was, and BatchGetItem the cases.
 */
const skip = motoSkipReason();
const describeInAws = skip ? describe.skip : describe;
if (skip) console.warn(skip);

describeInAws("the sender's history in DynamoDB (moto_server)", () => {
  let tier: AwsTier;
  let history: DynamoDbReporterHistory;
  let cases: DynamoDbCaseRepository;

  beforeAll(async () => {
    tier = await startAwsTier(benchConfig(), fixture('project-secret.asc'));
    history = new DynamoDbReporterHistory(tier.clients.dynamo, TIER.table);
    cases = new DynamoDbCaseRepository(tier.clients.dynamo, TIER.table);
  });
  afterAll(() => tier?.stop());

  it('returns the earlier cases of the address with their endings, the same on a retry', async () => {
    const opened = async (id: string, fields = {}) =>
      (
        await cases.createIfAbsent(
          caseRecord(id, { reporter: { address: 'frank@example.net' }, ...fields }),
        )
      ).record;
    const first = await opened('SEC-2026-0001', { status: 'closed', resolution: 'fixed' });
    expect(await history.recordAndRecall(first, 10)).toEqual({ cases: [], more: false });
    const second = await opened('SEC-2026-0002');
    const earlier = await history.recordAndRecall(second, 10);
    expect(earlier.cases.map((c) => [c.id, c.resolution])).toEqual([['SEC-2026-0001', 'fixed']]);
    expect(await history.recordAndRecall(second, 10)).toEqual(earlier);
  });
});
