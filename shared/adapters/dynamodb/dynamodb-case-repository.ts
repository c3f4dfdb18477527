import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CaseId } from '../../domain/case-id';
import { chainEvents } from '../../domain/case-history';
import type { CaseRecord, CaseUpdate } from '../../domain/case-record';
import { CaseNotFoundError, EmbargoError } from '../../domain/errors';
import type { CaseRepository, ReplyParty } from '../../ports/case-repository';
import { isConditionalCheckFailure } from './conditional-check';
import { queryListPartition } from './query-all';
import { keys, listPartitions } from './table-layout';

const STORAGE_ONLY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
const MAX_ATTEMPTS = 20;

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

  private item(record: CaseRecord) {
    return {
      ...keys.case(record.id),
      gsi1pk: listPartitions.cases,
      gsi1sk: `${record.receivedAt}#${record.id}`,
      ...record,
    };
  }

  async createIfAbsent(record: CaseRecord): Promise<CaseRecord> {
    let stored: CaseRecord = { ...record, history: chainEvents([], record.history) };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(stored),
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
    await this.saveReplyToken(stored.reporterReplyToken, { caseId: stored.id, party: 'reporter' });
    return stored;
  }

  async get(id: CaseId): Promise<CaseRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.case(id), ConsistentRead: true }),
    );
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async list(): Promise<CaseRecord[]> {
    return this.listReceivedSince('');
  }

  async listReceivedSince(since: string): Promise<CaseRecord[]> {
    const items = await queryListPartition(this.client, this.tableName, listPartitions.cases, {
      newestFirst: true,
      from: since,
    });
    return items.map(toRecord);
  }

  async update(
    id: CaseId,
    decide: (current: CaseRecord) => CaseUpdate | undefined,
  ): Promise<CaseRecord> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) throw new CaseNotFoundError(id);
      const change = decide(current);
      if (!change) return current;
      const next: CaseRecord = {
        ...current,
        ...change.fields,
        history: [...current.history, ...chainEvents(current.history, change.events)],
        version: current.version + 1,
      };
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: this.item(next),
            ConditionExpression: '#v = :v',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':v': current.version },
          }),
        );
        return next;
      } catch (err) {
        if (!isConditionalCheckFailure(err)) throw err;
        // Someone else changed the case meanwhile: decide again on the new state.
      }
    }
    throw new EmbargoError(
      `Case ${id} kept changing under ${MAX_ATTEMPTS} attempts to update it.`,
      'The work will be retried; if this persists, look for a loop writing to the case.',
    );
  }

  async saveReplyToken(token: string, party: ReplyParty): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.replyToken(token), ...party } }),
    );
  }

  async findByReplyToken(token: string): Promise<ReplyParty | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.replyToken(token) }),
    );
    const item = result.Item;
    if (!item?.caseId) return undefined;
    const caseId = item.caseId as CaseId;
    return item.party === 'maintainer'
      ? { caseId, party: 'maintainer', address: String(item.address) }
      : { caseId, party: 'reporter' };
  }
}
