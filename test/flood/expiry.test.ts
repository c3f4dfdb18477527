import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbAdmissionCounters } from '../../shared/adapters/dynamodb/flood/dynamodb-admission-counters';
import { DynamoDbFloodCollection } from '../../shared/adapters/dynamodb/flood/dynamodb-flood-collection';
import { DynamoDbSendingBudget } from '../../shared/adapters/dynamodb/flood/dynamodb-sending-budget';
import { startStores, type Stores } from '../support/local-stores';

const TABLE = 'embargo-cases';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const seconds = (iso: string) => Date.parse(iso) / 1000;

describe("flood items carry the table's TTL attribute (expiresAt, see the stack test), against a real local DynamoDB server", () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  const item = async (pk: string, sk: string) =>
    (await stores.dynamoClient.send(new GetCommand({ TableName: TABLE, Key: { pk, sk } }))).Item;

  it("expires a sender's counter a day after its window ends, and a new window's later", async () => {
    const counters = new DynamoDbAdmissionCounters(stores.dynamoClient, TABLE);
    const counter = 'report#address#ttl@flood.example';
    const first = new Date('2026-11-25T09:00:00.000Z');
    const count = (messageId: string, now: Date) =>
      counters.count({ counter, messageId, limit: 2, now, windowMs: DAY });
    expect(await count('m1', first)).toEqual({ admitted: true, count: 1 });
    const windowEnd = '2026-11-26T09:00:00.000Z';
    let stored = await item(`ADMIT#${counter}`, 'ADMIT');
    expect(stored?.windowEnd).toBe(windowEnd);
    expect(stored?.expiresAt).toBe(seconds(windowEnd) + DAY / 1000);

    // Counting later in the window, and refusing, keep the window's expiry.
    expect(await count('m2', new Date(first.getTime() + HOUR))).toEqual({
      admitted: true,
      count: 2,
    });
    expect((await count('m3', new Date(first.getTime() + 2 * HOUR))).admitted).toBe(false);
    stored = await item(`ADMIT#${counter}`, 'ADMIT');
    expect(stored?.expiresAt).toBe(seconds(windowEnd) + DAY / 1000);

    // A new window, once the old one has passed (as if the TTL had not run yet).
    const later = new Date('2026-11-27T10:30:00.000Z');
    expect(await count('m4', later)).toEqual({ admitted: true, count: 1 });
    stored = await item(`ADMIT#${counter}`, 'ADMIT');
    expect(stored?.windowEnd).toBe('2026-11-28T10:30:00.000Z');
    expect(stored?.expiresAt).toBe(seconds('2026-11-28T10:30:00.000Z') + DAY / 1000);
  });

  it('expires a sending day a day after that UTC day, and a digest mark a day after its last run', async () => {
    const budget = new DynamoDbSendingBudget(stores.dynamoClient, TABLE, 100);
    await budget.spend('first', new Date('2026-11-25T23:59:00.000Z'));
    const day = await item('SENDBUDGET#2026-11-25', 'SENDBUDGET');
    expect(day?.n).toBe(1);
    expect(day?.expiresAt).toBe(seconds('2026-11-27T00:00:00.000Z'));

    const collection = new DynamoDbFloodCollection(stores.dynamoClient, TABLE);
    await collection.markDigested(new Date('2026-11-25T10:00:00.000Z'));
    const mark = await item('FLOODDIGEST#2026-11-25T10', 'FLOODDIGEST');
    // The digest runs look back three hours (and wait five minutes): four hours, then a day.
    expect(mark?.expiresAt).toBe(seconds('2026-11-26T14:00:00.000Z'));
    expect(await collection.isDigested(new Date('2026-11-25T10:00:00.000Z'))).toBe(true);
  });
});
