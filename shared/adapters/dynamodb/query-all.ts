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
 * schedules), in sort-key order; `from` and `to` bound the sort key (both inclusive) in the key
 * condition, so items outside are never read. `attributes` names the only attributes returned
 * (a ProjectionExpression): less to transfer and unmarshal, though DynamoDB charges read capacity
 * by the whole item's size ("Projection expression has no effect on provisioned throughput
 * consumption", Amazon DynamoDB Developer Guide, "Using projection expressions in DynamoDB").
 */
export function queryListPartition(
  client: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  options: {
    newestFirst?: boolean;
    from?: string;
    to?: string;
    attributes?: readonly string[];
  } = {},
): Promise<Record<string, unknown>[]> {
  const { name, partitionKey, sortKey } = tableLayout.listIndex;
  const { from, to, attributes } = options;
  const names: Record<string, string> = { '#p': partitionKey };
  const values: Record<string, unknown> = { ':p': partition };
  let condition = '#p = :p';
  if (from !== undefined || to !== undefined) {
    names['#s'] = sortKey;
    if (from !== undefined) values[':from'] = from;
    if (to !== undefined) values[':to'] = to;
    condition +=
      from !== undefined && to !== undefined
        ? ' AND #s BETWEEN :from AND :to'
        : from !== undefined
          ? ' AND #s >= :from'
          : ' AND #s <= :to';
  }
  // Every name through a placeholder: `status` and others are DynamoDB reserved words.
  attributes?.forEach((attribute, index) => (names[`#a${index}`] = attribute));
  return queryAll(client, {
    TableName: tableName,
    IndexName: name,
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: !options.newestFirst,
    ...(attributes ? { ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', ') } : {}),
  });
}
