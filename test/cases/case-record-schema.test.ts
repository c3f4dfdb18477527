import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { keys } from '../../shared/adapters/dynamodb/table-layout';
import { StoredItemInvalidError } from '../../shared/errors';
import { localResources } from '../../infra/local/local-settings';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import { caseRecord } from '../support/case-builder';
import { startStores, type Stores } from '../support/local-stores';

/** Cases read back from the real local DynamoDB (dynalite), written there by the plain client. */
describe('a stored case read by the DynamoDB case repository', () => {
  let stores: Stores;
  let cases: DynamoDbCaseRepository;
  const client = () => localDynamoClient(stores.dynamoEndpoint);
  const putRaw = (item: Record<string, unknown>) =>
    client().send(new PutCommand({ TableName: localResources.tableName, Item: item }));

  beforeAll(async () => {
    stores = await startStores();
    cases = new DynamoDbCaseRepository(client(), localResources.tableName);
  });
  afterAll(async () => stores.stop());

  it('comes back as written, without the table layout attributes', async () => {
    const { record } = await cases.createIfAbsent(caseRecord('SEC-2026-0501'));
    const read = await cases.get(record.id);
    expect(read).toEqual(record);
    expect(read).not.toHaveProperty('pk');
  });

  it('fails with a typed error naming the key and what is wrong when damaged', async () => {
    const { record } = await cases.createIfAbsent(caseRecord('SEC-2026-0502'));
    const { history: _history, status: _status, ...damaged } = record;
    await putRaw({ ...keys.case(record.id), ...damaged, status: 'archived', version: '3' });

    const failure = await cases.get(record.id).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(StoredItemInvalidError);
    const err = failure as StoredItemInvalidError;
    expect(err.code).toBe('STORED_ITEM_INVALID');
    expect(err.key).toBe('CASE#SEC-2026-0502 / CASE');
    expect(err.problems.join('\n')).toMatch(/^status: /m);
    expect(err.problems.join('\n')).toMatch(/^version: /m);
    expect(err.problems.join('\n')).toMatch(/^history: /m);
    // Updates read first, so nothing is written over a record that cannot be read.
    await expect(cases.update(record.id, () => ({ events: [] }))).rejects.toThrow(
      StoredItemInvalidError,
    );
  });

  it('fails the same way in a listing, rather than returning a half-read case', async () => {
    await putRaw({
      ...keys.case('SEC-2026-0503'),
      gsi1pk: 'CASES',
      gsi1sk: `2026-01-01T00:00:00.000Z#SEC-2026-0503`,
      id: 'SEC-2026-0503',
    });
    await expect(cases.list()).rejects.toThrow(/SEC-2026-0503.*subject: /s);
  });
});
