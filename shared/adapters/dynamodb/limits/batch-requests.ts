import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { EmbargoError } from '../../../errors';

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;

/** Attempts at keys DynamoDB left unprocessed, after the first request. */
const RETRIES = 8;
const BASE_DELAY_MS = 50;

/**
 * Sends `pending` with `send` until DynamoDB has processed all of it: `send` makes one request
 * and returns what DynamoDB left unprocessed, which is sent again after a backoff with full
 * jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"). Throws when some is still
 * unprocessed after the retries, so that the caller's invocation is retried as a whole.
 */
async function untilProcessed<T>(
  pending: T[],
  send: (pending: T[]) => Promise<T[]>,
  left: (count: number) => string,
): Promise<void> {
  for (let attempt = 0; pending.length; attempt += 1) {
    if (attempt > RETRIES)
      throw new EmbargoError(
        'DYNAMODB_THROTTLED',
        `DynamoDB left ${left(pending.length)} after ${RETRIES} retries.`,
        'Nothing to do: the invocation is retried. If this recurs, the table is being throttled (see its CloudWatch metrics).',
      );
    if (attempt > 0) await sleep(Math.random() * BASE_DELAY_MS * 2 ** (attempt - 1));
    pending = await send(pending);
  }
}

/**
 * BatchGetItem for one table, with every key answered: DynamoDB may return part of a batch in
 * `UnprocessedKeys` (throttling, or more than 16 MB), and AWS says to retry those "using
 * exponential backoff" ("BatchGetItem", Amazon DynamoDB API Reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
 * Dropping them would read as "not found".
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: Key[],
): Promise<Item[]> {
  const items: Item[] = [];
  await untilProcessed(
    keys,
    async (pending) => {
      const result = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
      );
      items.push(...(result.Responses?.[tableName] ?? []));
      return (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    },
    (count) => `${count} keys of table ${tableName} unprocessed`,
  );
  return items;
}

/**
 * BatchWriteItem (puts) for one table, with every item written: unprocessed items are retried
 * with backoff, as AWS asks ("BatchWriteItem", Amazon DynamoDB API Reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: Item[],
): Promise<void> {
  const requests = items.map((Item) => ({ PutRequest: { Item } }));
  await untilProcessed(
    requests,
    async (pending) => {
      const result = await client.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      );
      return (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    },
    (count) => `${count} items of table ${tableName} unwritten`,
  );
}
