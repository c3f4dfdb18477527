import {
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { tableLayout } from './table-layout';

/** Runs a query to the end, following LastEvaluatedKey. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Every item of one list partition of the `gsi1` index (cases, inbound mail, distributors,
 * schedules), in sort-key order; `from` bounds the sort key from below.
 */
export function queryListPartition(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  options: { newestFirst?: boolean; from?: string } = {},
): Promise<Record<string, unknown>[]> {
  const { name, partitionKey, sortKey } = tableLayout.listIndex;
  const bounded = options.from !== undefined;
  return queryAll(client, {
    TableName: tableName,
    IndexName: name,
    KeyConditionExpression: bounded ? '#p = :p AND #s >= :from' : '#p = :p',
    ExpressionAttributeNames: bounded
      ? { '#p': partitionKey, '#s': sortKey }
      : { '#p': partitionKey },
    ExpressionAttributeValues: bounded
      ? { ':p': partition, ':from': options.from }
      : { ':p': partition },
    ScanIndexForward: !options.newestFirst,
  });
}
