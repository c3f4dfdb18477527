import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure } from './conditional-check';
import { claimItem, readItem } from './stored-items';

/**
 * First writer wins: stores `owner` under the key unless something is there, and returns
 * whoever owns the key afterwards.
 */
export async function claimOnce(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  owner: string,
): Promise<string> {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...key, owner },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return owner;
  } catch (err) {
    if (!isConditionalCheckFailure(err)) throw err;
    const existing = await client.send(
      new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
    );
    return readItem(claimItem, existing.Item, key).owner;
  }
}
