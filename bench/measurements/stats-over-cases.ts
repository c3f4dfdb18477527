import { formatCaseId } from '../../shared/cases/case-id';
import type { CaseEvent, CaseRecord } from '../../shared/cases/case-record';
import { teamStats } from '../../shared/stats/team-stats';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import { AwsRequestCounter } from '../../test/support/aws-request-counter';
import { startStores, testConfig } from '../../test/support/local-stores';
import { median, now } from '../support/bench-support';

/** `npx embargo stats` over many cases (#28): reading them through the repository, and computing. */
export interface StatsOverCasesResult {
  cases: number;
  /** The cases' JSON, on average: about what a DynamoDB item of the case weighs. */
  averageCaseBytes: number;
  /** DynamoDB Query requests to list every case (pages of at most 1 MB). */
  queries: number;
  listMs: number;
  /** teamStats over all of them, each run. */
  computeMs: number[];
}

const HOUR = 3_600_000;
const WRITERS = 16;
const COMPUTE_RUNS = 5;

/**
 * A case as a year of reports leaves it: received every 50 minutes, acknowledged, answered, fixed,
 * noticed and disclosed, with an advisory of 1,500 characters; its history signed and summarised
 * as real events are.
 */
function benchCase(i: number): CaseRecord {
  const base = Date.parse('2025-01-01T00:00:00Z') + i * 50 * 60_000;
  const received = new Date(base).toISOString();
  const year = new Date(base).getUTCFullYear();
  const event = (hours: number, type: CaseEvent['type'], changes?: string[]): CaseEvent => ({
    id: `${type}:${hours}`,
    at: new Date(base + hours * HOUR).toISOString(),
    type,
    actor: 'mia@example.org',
    summary: `${type}: a summary of the length the real ones have, naming who and what`,
    authentication: { method: 'pgp-signature', fingerprint: 'A'.repeat(40) },
    ...(changes ? { changes } : {}),
  });
  return {
    id: formatCaseId(year, i + 1),
    status: 'disclosed',
    reporter: { address: 'reporter@example.net' },
    subject: 'Heap buffer overflow when parsing a crafted header',
    receivedAt: received,
    ackDueAt: new Date(base + 48 * HOUR).toISOString(),
    acknowledgedAt: new Date(base + 60_000).toISOString(),
    reportMessageId: `m-${i}`,
    protection: { encryption: 'pgp-mime', signatures: [] },
    fixed: '2.4.3',
    advisory: 'The parser trusts a length field. '.repeat(45),
    version: 1,
    history: [
      event(0, 'opened'),
      event(0.02, 'acknowledged'),
      event(1 + (i % 70), 'maintainer-reply'),
      event(2 + (i % 70), 'follow-up'),
      event(100 + (i % 500), 'commands-applied', ['fixed: (unset) → 2.4.3']),
      event(200 + (i % 500), 'advance-notice'),
      event(370 + (i % 500), 'disclosure-notice'),
    ],
  };
}

export async function runStatsOverCases(
  count: number,
  progress: (done: number, total: number) => void,
): Promise<StatsOverCasesResult> {
  const stores = await startStores();
  try {
    const client = localDynamoClient(stores.dynamoEndpoint);
    const counter = new AwsRequestCounter();
    counter.attach([client]);
    const { cases } = stores.services({ dynamo: client });
    let bytes = 0;
    for (let start = 0; start < count; start += WRITERS) {
      const batch = Array.from({ length: Math.min(WRITERS, count - start) }, (_, k) =>
        benchCase(start + k),
      );
      bytes += batch.reduce((sum, record) => sum + JSON.stringify(record).length, 0);
      await Promise.all(batch.map((record) => cases.createIfAbsent(record)));
      progress(start + batch.length, count);
    }
    const mark = counter.mark();
    const listed = now();
    const records = await cases.list();
    const listMs = now() - listed;
    const queries = counter.byOperation(mark)['DynamoDB Query'] ?? 0;
    if (records.length !== count) throw new Error(`listed ${records.length} of ${count} cases`);
    const computeMs = Array.from({ length: COMPUTE_RUNS }, () => {
      const started = now();
      teamStats(records, {
        period: {},
        maxEmbargoDays: testConfig.maxEmbargoDays,
        now: new Date(),
      });
      return now() - started;
    });
    return { cases: count, averageCaseBytes: bytes / count, queries, listMs, computeMs };
  } finally {
    await stores.stop();
  }
}

export const medianComputeMs = (r: StatsOverCasesResult) => median(r.computeMs);
