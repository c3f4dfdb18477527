import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryListPartition } from '../../shared/adapters/dynamodb/query-all';
import { readItem, scheduleItem } from '../../shared/adapters/dynamodb/stored-items';
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

  /**
   * Schedules due at `now`, earliest first. Compared as instants: as strings, an expanded year
   * (`+010000-01-01T…`) sorts before `2026-…` and would fire at once.
   */
  async due(now: Date): Promise<PendingSchedule[]> {
    return (await this.pending())
      .map((s) => ({ s, at: Date.parse(s.at) }))
      .filter(({ at }) => at <= now.getTime())
      .sort((a, b) => a.at - b.at)
      .map(({ s }) => s);
  }

  async pending(): Promise<PendingSchedule[]> {
    const items = await queryListPartition(this.client, this.tableName, listPartitions.schedules);
    return items.map((item) => {
      const { name, at, trigger } = readItem(scheduleItem, item);
      const { caseId, kind, disclosureAt } = trigger;
      return { name, at, trigger: { caseId, kind, disclosureAt } };
    });
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
