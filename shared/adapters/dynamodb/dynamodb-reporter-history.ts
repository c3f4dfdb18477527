import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../../cases/case-record';
import { checkStoredCase } from '../../cases/case-record-schema';
import type { EarlierCases, ReporterHistory } from '../../triage/reporter-history';
import { keys } from './table-layout';

const STORAGE_ONLY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
/** BatchGetItem may leave keys unprocessed under load; asked again this often at most. */
const MAX_BATCH_ROUNDS = 5;

/** The address as a key holds it: hashed, so keys stay short and name nobody. */
const addressHash = (address: string) =>
  createHash('sha256').update(address.trim().toLowerCase()).digest('hex');

/**
 * The sender's history in the case table: one small item per case under REPORTER#<hash of the
 * address> (table-layout.ts), so that the history is one Query and one BatchGetItem, whatever
 * the number of cases. Cases opened before this list existed are not on it.
 */
export class DynamoDbReporterHistory implements ReporterHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async remember(record: CaseRecord): Promise<void> {
    // An idempotent put: a retried delivery writes the same item again.
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.reporterCase(addressHash(record.reporter.address), record.receivedAt, record.id),
          caseId: record.id,
        },
      }),
    );
  }

  async earlier(record: CaseRecord, limit: number): Promise<EarlierCases> {
    const { pk, sk } = keys.reporterCase(
      addressHash(record.reporter.address),
      record.receivedAt,
      record.id,
    );
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :before',
        ExpressionAttributeValues: { ':pk': pk, ':first': 'CASE#', ':before': sk },
        ScanIndexForward: false,
        // One more than shown, to tell whether there are more.
        Limit: limit + 2,
        ConsistentRead: true,
      }),
    );
    const ids = (page.Items ?? [])
      .map((item) => String(item.caseId))
      .filter((id) => id !== record.id);
    const shown = ids.slice(0, limit);
    const cases = await this.read(shown);
    return {
      cases: shown.flatMap((id) => cases.get(id) ?? []),
      more: ids.length > limit,
    };
  }

  private async read(ids: string[]): Promise<Map<string, CaseRecord>> {
    const found = new Map<string, CaseRecord>();
    let wanted: Record<string, unknown>[] = ids.map((id) => keys.case(id));
    for (let round = 0; wanted.length && round < MAX_BATCH_ROUNDS; round++) {
      const result = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const copy = { ...item };
        for (const key of STORAGE_ONLY) delete copy[key];
        const record = checkStoredCase(copy, `${String(item.pk)} / ${String(item.sk)}`);
        found.set(record.id, record);
      }
      wanted = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }
}
