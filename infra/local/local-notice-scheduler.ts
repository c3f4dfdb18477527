import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryListPartition } from '../../shared/adapters/dynamodb/query-all';
import { keys, listPartitions } from '../../shared/adapters/dynamodb/table-layout';
import type { NoticeScheduler, NoticeTrigger } from '../../shared/notices/notice-scheduler';
import { isConditionalCheckFailure } from '../../shared/adapters/dynamodb/conditional-check';

export interface PendingSchedule {
  name: string;
  at: string;
  trigger: NoticeTrigger;
}

/**
 * Local stand-in for EventBridge Scheduler: one-time schedules kept in the case table, fired
 * by the local runtime's timer or by `npx embargo tick`, and deleted after they ran.
 */
export class LocalNoticeScheduler implements NoticeScheduler {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async schedule(name: string, at: Date, trigger: NoticeTrigger): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.schedule(name),
          gsi1pk: listPartitions.schedules,
          gsi1sk: `${at.toISOString()}#${name}`,
          name,
          at: at.toISOString(),
          trigger,
        },
      }),
    );
  }

  async cancel(name: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: keys.schedule(name) }),
    );
  }

  /** Schedules due at `now`, earliest first. */
  async due(now: Date): Promise<PendingSchedule[]> {
    return (await this.pending()).filter((s) => s.at <= now.toISOString());
  }

  async pending(): Promise<PendingSchedule[]> {
    const items = await queryListPartition(this.client, this.tableName, listPartitions.schedules);
    return items.map((i) => ({
      name: String(i.name),
      at: String(i.at),
      trigger: i.trigger as NoticeTrigger,
    }));
  }

  /** Deletes a schedule after its run, unless it was replaced meanwhile (a new time). */
  async complete(schedule: PendingSchedule): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.schedule(schedule.name),
          ConditionExpression: '#at = :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': schedule.at },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
  }
}
