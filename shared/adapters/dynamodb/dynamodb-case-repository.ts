import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CaseId } from '../../domain/case-id';
import type { CaseEvent, CaseRecord, ReporterKey } from '../../domain/case-record';
import { CaseNotFoundError } from '../../domain/errors';
import type { CaseRepository } from '../../ports/case-repository';
import { isConditionalCheckFailure } from './conditional-check';
import { queryAll } from './query-all';
import { keys, listPartitions, tableLayout } from './table-layout';

const STORAGE_ONLY = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'eventIds'];

function toRecord(item: Record<string, unknown>): CaseRecord {
  const copy = { ...item };
  for (const key of STORAGE_ONLY) delete copy[key];
  return copy as unknown as CaseRecord;
}

export class DynamoDbCaseRepository implements CaseRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async nextSequence(year: number): Promise<number> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.counter(year),
        UpdateExpression: 'ADD #value :one',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.value);
  }

  async createIfAbsent(record: CaseRecord): Promise<CaseRecord> {
    let stored = record;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.case(record.id),
            gsi1pk: listPartitions.cases,
            gsi1sk: `${record.receivedAt}#${record.id}`,
            ...record,
            eventIds: new Set(record.history.map((e) => e.id)),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      const existing = await this.get(record.id);
      if (!existing) throw err;
      stored = existing;
    }
    // After the case, so that a token never points at a case that does not exist.
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.replyToken(stored.reporterReplyToken),
          caseId: stored.id,
          party: 'reporter',
        },
      }),
    );
    return stored;
  }

  async get(id: CaseId): Promise<CaseRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.case(id), ConsistentRead: true }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async list(): Promise<CaseRecord[]> {
    const { name, partitionKey } = tableLayout.listIndex;
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': partitionKey },
      ExpressionAttributeValues: { ':p': listPartitions.cases },
      ScanIndexForward: false,
    });
    return items.map(toRecord);
  }

  async appendEvent(id: CaseId, event: CaseEvent): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.case(id),
          UpdateExpression: 'SET history = list_append(history, :events) ADD eventIds :ids',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(eventIds, :id)',
          ExpressionAttributeValues: {
            ':events': [event],
            ':ids': new Set([event.id]),
            ':id': event.id,
          },
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      // Either the event is there already (a retry: nothing to do) or there is no such case.
      if (!(await this.get(id))) throw new CaseNotFoundError(id);
    }
  }

  async markAcknowledged(id: CaseId, at: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.case(id),
        UpdateExpression: 'SET acknowledgedAt = if_not_exists(acknowledgedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async setReporterKey(id: CaseId, key: ReporterKey): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.case(id),
        UpdateExpression: 'SET reporterKey = :k',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':k': key },
      }),
    );
  }

  async findByReplyToken(token: string): Promise<CaseId | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.replyToken(token) }),
    );
    return result.Item?.caseId as CaseId | undefined;
  }
}
