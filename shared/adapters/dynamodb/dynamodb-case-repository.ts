import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { awaitsCveId } from '../../cases/awaiting-cve';
import type { CaseId } from '../../cases/case-id';
import { chainEvents } from '../../cases/case-history';
import type { CaseRecord, CaseUpdate } from '../../cases/case-record';
import type { ComparedCase } from '../../cases/compared-case';
import { CaseNotFoundError, EmbargoError } from '../../errors';
import type { CaseRepository, ReceivedRange } from '../../cases/case-repository';
import {
  caseFromItem,
  caseItem,
  comparedCaseAttributes,
  comparedCaseFromItem,
  storedFields,
} from './case-items';
import { isConditionalCheckFailure } from './conditional-check';
import { queryListPartition } from './query-all';
import { cveWatchItem, readItem } from './stored-items';
import { keys, listPartitions } from './table-layout';

const MAX_ATTEMPTS = 20;
/**
 * An entry of the CVE watch list whose case does not wait (its write lost a race and was
 * decided otherwise) is taken off the list once it is this old: younger, its case's write may
 * still be under way.
 */
const STALE_WATCH_MS = 10 * 60_000;

/**
 * A new case as it is stored: its history chained (case-history.ts), and its item. A case
 * that waits for a CVE id also needs its entry on the watch list, which only `createIfAbsent`
 * writes.
 */
export function newCaseItem(record: CaseRecord) {
  const stored: CaseRecord = { ...record, history: chainEvents([], record.history) };
  return { stored, item: caseItem(stored), watchesCve: awaitsCveId(stored) };
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

  async createIfAbsent(record: CaseRecord): Promise<{ record: CaseRecord; created: boolean }> {
    const { stored, item, watchesCve } = newCaseItem(record);
    if (watchesCve) await this.watchCve(stored);
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { record: stored, created: true };
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      const existing = await this.get(record.id);
      if (!existing) throw err;
      return { record: existing, created: false };
    }
  }

  async get(id: CaseId): Promise<CaseRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.case(id), ConsistentRead: true }),
    );
    return result.Item ? caseFromItem(result.Item) : undefined;
  }

  /**
   * Unbounded: a key condition on the sort key with an empty string is a ValidationException
   * (string key attributes need non-empty values: "Amazon DynamoDB now supports empty values for
   * non-key String and Binary attributes", AWS What's New, 2020-05-18; moto_server answers "The
   * AttributeValue for a key attribute cannot contain an empty string value"; dynalite lets it by).
   */
  async list(): Promise<CaseRecord[]> {
    const items = await queryListPartition(this.client, this.tableName, listPartitions.cases, {
      newestFirst: true,
    });
    return items.map(caseFromItem);
  }

  /** The list query, projected to the compared fields (and the key, to name a bad item). */
  async listCompared(): Promise<ComparedCase[]> {
    const items = await queryListPartition(this.client, this.tableName, listPartitions.cases, {
      newestFirst: true,
      attributes: comparedCaseAttributes,
    });
    return items.map(comparedCaseFromItem);
  }

  /**
   * Both ends in the key condition, so no case outside is read. The sort key is
   * `<receivedAt>#<id>`: every key of a case received at `before` sorts after the bare instant,
   * every earlier one before it, so the inclusive BETWEEN (the one two-sided sort key condition)
   * ends just before `before`.
   */
  async listReceived({ from, before }: ReceivedRange): Promise<CaseRecord[]> {
    // An empty range, not asked: DynamoDB refuses a BETWEEN whose lower bound is above its upper
    // one with a ValidationException ("The BETWEEN operator requires upper bound to be greater
    // than or equal to lower bound"; architect/dynalite#55). Neither dynalite nor moto does.
    if (from !== undefined && before !== undefined && from >= before) return [];
    const items = await queryListPartition(this.client, this.tableName, listPartitions.cases, {
      newestFirst: true,
      from,
      to: before,
    });
    return items.map(caseFromItem);
  }

  async listAwaitingCve(): Promise<CaseRecord[]> {
    const entries = await queryListPartition(this.client, this.tableName, listPartitions.cveWatch);
    const waiting: CaseRecord[] = [];
    for (const { caseId, markedAt } of entries.map((entry) => readItem(cveWatchItem, entry))) {
      const record = await this.get(caseId);
      if (record && awaitsCveId(record)) waiting.push(record);
      else if (Date.now() - Date.parse(markedAt) > STALE_WATCH_MS) await this.unwatchCve(caseId);
    }
    return waiting;
  }

  /**
   * Puts the case on the CVE watch list (the gsi1 partition of cases waiting for a CVE id).
   * Written before the case itself, so a case that waits is never missing from the list; the
   * entry goes once a write makes the case stop waiting.
   */
  private async watchCve(record: CaseRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.cveWatch(record.id),
          gsi1pk: listPartitions.cveWatch,
          gsi1sk: `${record.ghsa?.cveRequestedAt ?? ''}#${record.id}`,
          caseId: record.id,
          markedAt: new Date().toISOString(),
        },
      }),
    );
  }

  /** Takes the case off the list (the entry stays, outside the index: no role may delete). */
  private async unwatchCve(id: CaseId): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.cveWatch(id),
        UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
      }),
    );
  }

  async update(
    target: CaseId | CaseRecord,
    decide: (current: CaseRecord) => CaseUpdate | undefined,
  ): Promise<CaseRecord> {
    const id = typeof target === 'string' ? target : target.id;
    let held = typeof target === 'string' ? undefined : target;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const current = held ?? (await this.get(id));
      held = undefined;
      if (!current) throw new CaseNotFoundError(id);
      const change = decide(current);
      if (!change) return current;
      const written = await this.append(current, change);
      if (written) return written;
      // Someone else changed the case meanwhile (or the held record was stale): decide again on
      // the stored state.
    }
    throw new EmbargoError(
      'CASE_CONTENDED',
      `Case ${id} kept changing under ${MAX_ATTEMPTS} attempts to update it.`,
      'The work will be retried; if this persists, look for a loop writing to the case.',
    );
  }

  /**
   * Appends the change's events to the stored history and sets its fields, if the case is still
   * at `current`'s version. The history already stored is not part of the write, so no bug in
   * a caller can rewrite it. Returns undefined when the version had moved on.
   */
  private async append(current: CaseRecord, change: CaseUpdate): Promise<CaseRecord | undefined> {
    const events = chainEvents(current.history, change.events);
    const waited = awaitsCveId(current);
    const waits = awaitsCveId({ ...current, ...change.fields });
    if (waits && !waited) await this.watchCve({ ...current, ...change.fields });
    const names: Record<string, string> = { '#history': 'history', '#version': 'version' };
    const values: Record<string, unknown> = {
      ':events': events,
      ':current': current.version,
      ':next': current.version + 1,
    };
    const set = ['#history = list_append(#history, :events)', '#version = :next'];
    const remove: string[] = [];
    Object.entries(storedFields(change.fields ?? {})).forEach(([field, value], index) => {
      names[`#f${index}`] = field;
      if (value === undefined) remove.push(`#f${index}`);
      else {
        values[`:f${index}`] = value;
        set.push(`#f${index} = :f${index}`);
      }
    });
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.case(current.id),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: '#version = :current',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (err) {
      if (isConditionalCheckFailure(err)) return undefined;
      throw err;
    }
    if (waited && !waits) await this.unwatchCve(current.id);
    return {
      ...current,
      ...change.fields,
      history: [...current.history, ...events],
      version: current.version + 1,
    };
  }
}
