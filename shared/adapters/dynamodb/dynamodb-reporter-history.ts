import { createHash } from 'node:crypto';
import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../../cases/case-record';
import type { EarlierCases, ReporterHistory } from '../../triage/reporter-history';
import { caseFromItem } from './case-items';
import { keys } from './table-layout';

/** BatchGetItem may leave keys unprocessed under load; asked again this often at most. */
const MAX_BATCH_ROUNDS = 5;

/** The address as a key holds it: hashed, so keys stay short and name nobody. */
const addressHash = (address: string) =>
  createHash('sha256').update(address.trim().toLowerCase()).digest('hex');

/** Newest first: by year, then by sequence (SEC-2026-10000 after SEC-2026-9999). */
function newestFirst(a: string, b: string): number {
  const [, ay = 0, as = 0] = a.split('-').map(Number);
  const [, by = 0, bs = 0] = b.split('-').map(Number);
  return by - ay || bs - as;
}

/**
 * The sender's history in the case table: one item per reporter address (REPORTER#<hash>,
 * table-layout.ts) holding the set of their case ids. Adding this case and reading the ones
 * before it is one UpdateItem (ALL_OLD returns the set as it was); their endings one
 * BatchGetItem, only when there are any. Cases opened before this item existed are not in it.
 */
export class DynamoDbReporterHistory implements ReporterHistory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordAndRecall(record: CaseRecord, limit: number): Promise<EarlierCases> {
    // Adding to a set is idempotent: a retried delivery leaves the item as it was.
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.reporter(addressHash(record.reporter.address)),
        UpdateExpression: 'ADD caseIds :case',
        ExpressionAttributeValues: { ':case': new Set([record.id]) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = result.Attributes?.caseIds as Set<string> | undefined;
    const ids = [...(before ?? [])]
      .filter((id) => id !== record.id && newestFirst(id, record.id) > 0)
      .sort(newestFirst);
    const shown = ids.slice(0, limit);
    const cases = await this.read(shown);
    return { cases: shown.flatMap((id) => cases.get(id) ?? []), more: ids.length > limit };
  }

  private async read(ids: string[]): Promise<Map<string, CaseRecord>> {
    const found = new Map<string, CaseRecord>();
    let wanted: Record<string, unknown>[] = ids.map((id) => keys.case(id));
    for (let round = 0; wanted.length && round < MAX_BATCH_ROUNDS; round++) {
      const result = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted } } }),
      );
      for (const item of result.Responses?.[this.tableName] ?? []) {
        const record = caseFromItem(item);
        found.set(record.id, record);
      }
      wanted = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }
}
