import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NoticeHolds } from '../../notices/notice-holds';
import { releaseHold, takeHold } from './conditional-hold';
import { heldItem, readItem } from './stored-items';
import { keys } from './table-layout';

/** One item per notice (HOLD#<notice>); a released hold stays as an empty item. */
export class DynamoDbNoticeHolds implements NoticeHolds {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(notice: string, holder: string, now: Date, until: Date): Promise<string | undefined> {
    const key = keys.noticeHold(notice);
    if (await takeHold(this.client, this.tableName, key, { holder, now, until })) return undefined;
    const held = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    // Released between the two requests: held until now, so a retry takes it.
    return readItem(heldItem, held.Item, key).heldUntil ?? now.toISOString();
  }

  release(notice: string, holder: string): Promise<void> {
    return releaseHold(this.client, this.tableName, keys.noticeHold(notice), holder);
  }
}
