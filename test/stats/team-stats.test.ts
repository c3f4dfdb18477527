import { durationText } from '../../infra/cli/output/stats-figures';
import { statsText } from '../../infra/cli/output/stats-text';
import type { CaseRecord } from '../../shared/cases/case-record';
import { teamStats } from '../../shared/stats/team-stats';
import { caseRecord } from '../support/case-builder';

// The figures' edges, on records built in memory (stats-command.test.ts reads them from dynalite).
const now = new Date('2026-06-15T12:00:00Z');
let sequence = 0;
const at = (receivedAt: string, fields: Partial<CaseRecord> = {}) =>
  caseRecord(`SEC-2026-${String(++sequence).padStart(4, '0')}`, {
    receivedAt,
    ackDueAt: new Date(Date.parse(receivedAt) + 48 * 3_600_000).toISOString(),
    acknowledgedAt: receivedAt,
    ...fields,
  });

test('names an ending this version does not know, and counts it apart', () => {
  const records = [
    at('2026-05-01T00:00:00Z', { resolution: 'out-of-scope', status: 'closed' }),
    at('2026-05-02T00:00:00Z', { resolution: 'spam' as never, status: 'closed' }),
    at('2026-05-03T00:00:00Z', { resolution: 'invalid', status: 'closed' }),
  ];
  const stats = teamStats(records, { period: {}, maxEmbargoDays: 14, now });
  expect(stats.endings.unknown).toEqual({ spam: 1 });
  expect([stats.endings.outOfScope, stats.endings.invalid, stats.endings.none]).toEqual([1, 1, 0]);
  const text = statsText(
    stats,
    { project: 'p', ackWithinHours: 48, maxEmbargoDays: 14 },
    { colour: false, width: 80 },
  );
  expect(text).toMatch(/spam \(an ending this version does not know\) +1\n/);
  expect(text).toContain('Duplicates 0, out of scope 1, invalid 1');
});

test('without a period, months run from the first report to now; none at all is said so', () => {
  const stats = teamStats([at('2026-03-31T23:59:00Z')], { period: {}, maxEmbargoDays: 14, now });
  expect(stats.perMonth.map((m) => `${m.month}:${m.reports}`)).toEqual([
    '2026-03:1',
    '2026-04:0',
    '2026-05:0',
    '2026-06:0',
  ]);
  const empty = teamStats([], { period: {}, maxEmbargoDays: 14, now });
  expect(empty.perMonth).toEqual([]);
  expect(empty.times.fix).toEqual({ count: 0, of: 0 });
  const text = statsText(
    empty,
    { project: 'p', ackWithinHours: 48, maxEmbargoDays: 14 },
    { colour: false, width: 80 },
  );
  expect(text).toContain('0 reports');
  expect(text).toMatch(/Reports per month \(UTC\)\n {2}none/);
});

test('a period ahead of now lists its own months, and ends where it ends', () => {
  const period = { start: new Date('2027-01-01T00:00:00Z'), end: new Date('2027-03-01T00:00:00Z') };
  const stats = teamStats([], { period, maxEmbargoDays: 14, now });
  expect(stats.perMonth.map((m) => m.month)).toEqual(['2027-01', '2027-02']);
});

test('durations read as minutes, hours or days', () => {
  expect([0.2, 3, 47.9, 48.6, 684, undefined].map(durationText)).toEqual([
    '12 min',
    '3.0 h',
    '47.9 h',
    '2.0 d',
    '28.5 d',
    '-',
  ]);
});
