/**
 * DynamoDB's size limits ("Constraints in Amazon DynamoDB", Partition keys and sort keys, and
 * Items: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html):
 * a partition key value is at most 2,048 bytes, a sort key value at most 1,024 bytes (UTF-8),
 * and an item at most 400 KB. A request that breaks one fails with a ValidationException that
 * no retry can fix, so values from mail are bounded before they reach a key or an item.
 */
export const dynamoLimits = {
  partitionKeyBytes: 2048,
  sortKeyBytes: 1024,
  itemBytes: 400 * 1024,
} as const;

/** Whether a table key (`pk`, `sk`) is within DynamoDB's key-size limits. */
export function fitsKey(key: { pk: string; sk: string }): boolean {
  return (
    Buffer.byteLength(key.pk, 'utf8') <= dynamoLimits.partitionKeyBytes &&
    Buffer.byteLength(key.sk, 'utf8') <= dynamoLimits.sortKeyBytes
  );
}
