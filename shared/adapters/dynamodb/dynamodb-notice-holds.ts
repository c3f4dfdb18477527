import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NoticeHolds } from '../../ports/notice-holds';
import { isConditionalCheckFailure } from './conditional-check';
import { keys } from './table-layout';

/** One item per notice (HOLD#<notice>); a released hold stays as an empty item. */
export class DynamoDbNoticeHolds implements NoticeHolds {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(notice: string, holder: string, now: Date, until: Date): Promise<string | undefined> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.noticeHold(notice),
          UpdateExpression: 'SET heldBy = :h, heldUntil = :until',
          ConditionExpression: 'attribute_not_exists(heldUntil) OR heldUntil < :now',
          ExpressionAttributeValues: {
            ':h': holder,
            ':until': until.toISOString(),
            ':now': now.toISOString(),
          },
        }),
      );
      return undefined;
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
    const held = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.noticeHold(notice),
        ConsistentRead: true,
      }),
    );
    return String(held.Item?.heldUntil);
  }

  async release(notice: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.noticeHold(notice),
          UpdateExpression: 'REMOVE heldBy, heldUntil',
          ConditionExpression: 'heldBy = :h',
          ExpressionAttributeValues: { ':h': holder },
        }),
      );
    } catch (err) {
      // Taken over by another run since: its hold stays.
      if (!isConditionalCheckFailure(err)) throw err;
    }
  }
}
