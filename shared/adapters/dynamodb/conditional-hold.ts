import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailure } from './conditional-check';

/**
 * Marks an item as held by `holder` until `until`, unless another holder's time has not passed
 * at `now` or the item fails `condition`. Returns the item as it is afterwards, or undefined
 * when refused. Times are ISO strings, which compare in time order.
 */
export async function takeHold(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  hold: { holder: string; now: Date; until: Date; condition?: string },
): Promise<Record<string, unknown> | undefined> {
  const free = '(attribute_not_exists(heldUntil) OR heldUntil < :now)';
  try {
    const result = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET heldBy = :h, heldUntil = :until',
        ConditionExpression: hold.condition ? `${hold.condition} AND ${free}` : free,
        ExpressionAttributeValues: {
          ':h': hold.holder,
          ':until': hold.until.toISOString(),
          ':now': hold.now.toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes ?? {};
  } catch (err) {
    if (!isConditionalCheckFailure(err)) throw err;
    return undefined;
  }
}

/** Ends `holder`'s hold on the item; a hold another holder has taken over since stays. */
export async function releaseHold(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  holder: string,
): Promise<void> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'REMOVE heldBy, heldUntil',
        ConditionExpression: 'heldBy = :h',
        ExpressionAttributeValues: { ':h': holder },
      }),
    );
  } catch (err) {
    if (!isConditionalCheckFailure(err)) throw err;
  }
}
