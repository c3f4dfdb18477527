import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbReporterHistory } from '../../shared/adapters/dynamodb/dynamodb-reporter-history';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import { localResources } from '../../infra/local/local-settings';
import { historyLines } from '../../shared/triage/reporter-history';
import { caseRecord } from '../support/case-builder';
import { startStores, type Stores } from '../support/local-stores';

/** The sender's history on the real local DynamoDB (dynalite), as intake reads it. */
describe("the sender's history", () => {
  let stores: Stores;
  let history: DynamoDbReporterHistory;
  let cases: DynamoDbCaseRepository;

  beforeAll(async () => {
    stores = await startStores();
    const client = localDynamoClient(stores.dynamoEndpoint);
    history = new DynamoDbReporterHistory(client, localResources.tableName);
    cases = new DynamoDbCaseRepository(client, localResources.tableName);
  });
  afterAll(async () => stores.stop());

  const opened = async (id: string, address: string, fields = {}) =>
    (await cases.createIfAbsent(caseRecord(id, { reporter: { address }, ...fields }))).record;

  it('lists the earlier cases of the same address, newest first, with their endings', async () => {
    const first = await opened('SEC-2026-9999', 'Carol@Example.NET', {
      status: 'closed',
      resolution: 'invalid',
      resolutionReason: 'not reproducible',
    });
    expect(await history.recordAndRecall(first, 10)).toEqual({ cases: [], more: false });
    await history.recordAndRecall(await opened('SEC-2026-0005', 'dave@example.net'), 10);
    const second = await opened('SEC-2026-10000', 'carol@example.net');
    const earlier = await history.recordAndRecall(second, 10);
    expect(earlier.cases.map((c) => c.id)).toEqual(['SEC-2026-9999']);
    expect(historyLines('carol@example.net', earlier)[1]).toMatch(
      /^ {2}SEC-2026-9999 {2}\d{4}-\d\d-\d\d {2}invalid: not reproducible$/,
    );
    // A retried delivery of the second report reads the same, and adds nothing.
    expect(await history.recordAndRecall(second, 10)).toEqual(earlier);
    // The first report, retried, has nothing before it.
    expect((await history.recordAndRecall(first, 10)).cases).toEqual([]);
  });

  it('shows at most the newest `limit`, and says there are more', async () => {
    for (const n of [1, 2, 3])
      await history.recordAndRecall(await opened(`SEC-2025-000${n}`, 'erin@example.net'), 10);
    const fourth = await opened('SEC-2025-0004', 'erin@example.net');
    const earlier = await history.recordAndRecall(fourth, 2);
    expect(earlier.cases.map((c) => c.id)).toEqual(['SEC-2025-0003', 'SEC-2025-0002']);
    expect(earlier.more).toBe(true);
    expect(historyLines('erin@example.net', earlier).at(-1)).toBe(
      '  (only the newest 2 are listed)',
    );
  });
});
