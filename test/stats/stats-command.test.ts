import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HtmlValidate } from 'html-validate';
import { runCli } from '../../infra/cli/embargo-cli';
import { withLocalServices } from '../../infra/cli/sessions/local-session';
import type { CaseEvent, CaseRecord } from '../../shared/cases/case-record';
import type { TeamStats } from '../../shared/stats/team-stats';
import { caseRecord } from '../support/case-builder';

// `embargo stats` against local mode's own stores (dynalite), in a temporary data folder. The
// cases of 2025 are written through the case repository as a setup step, with histories whose
// times give figures worked out by hand below; the last test changes a case by running
// maintainer commands through the CLI, as a maintainer would.
const dir = mkdtempSync(join(tmpdir(), 'embargo-stats-'));
const HOUR = 3_600_000;

/** A report received at `received`, with events `hours` after it. */
function report(
  id: string,
  received: string,
  events: [number, CaseEvent['type'], string[]?][],
  fields: Partial<CaseRecord> = {},
): CaseRecord {
  const at = (hours: number) => new Date(Date.parse(received) + hours * HOUR).toISOString();
  return caseRecord(id, {
    receivedAt: received,
    ackDueAt: at(48),
    history: [
      { id: 'opened', at: received, type: 'opened', actor: 'r@example.net', summary: 'opened' },
      ...events.map(([hours, type, changes], i) => ({
        id: `${type}:${i}`,
        at: at(hours),
        type,
        actor: 'mia@example.org',
        summary: type,
        ...(changes ? { changes } : {}),
      })),
    ],
    ...fields,
  });
}

const DAY = 24;
const cases: CaseRecord[] = [
  // Acknowledged in 6 min, answered in 2 h, fixed in 10 days, disclosed on day 27 after a notice
  // on day 20 (7 days of embargo).
  report(
    'SEC-2025-0001',
    '2025-01-10T00:00:00.000Z',
    [
      [0.1, 'acknowledged'],
      [2, 'maintainer-reply'],
      [10 * DAY, 'commands-applied', ['fixed: (unset) → 1.2.3']],
      [20 * DAY, 'advance-notice'],
      [27 * DAY, 'disclosure-notice'],
      [28 * DAY, 'commands-applied', ['status: disclosed → closed', 'resolution: (unset) → fixed']],
    ],
    { status: 'closed', resolution: 'fixed' },
  ),
  // First maintainer action after 60 h: the answer deadline (48 h) missed; a duplicate.
  report(
    'SEC-2025-0002',
    '2025-01-20T00:00:00.000Z',
    [
      [0.2, 'acknowledged'],
      [60, 'commands-applied', ['status: new → closed', 'resolution: (unset) → duplicate']],
    ],
    { status: 'closed', resolution: 'duplicate', duplicateOf: 'SEC-2025-0001' as never },
  ),
  // Acknowledged after 50 h (late), fixed in 5 days, notice on day 6, disclosed on day 30:
  // 24 days of embargo, over the 14 the policy allows.
  report(
    'SEC-2025-0003',
    '2025-03-05T00:00:00.000Z',
    [
      [3, 'maintainer-reply'],
      [50, 'acknowledged'],
      [5 * DAY, 'commands-applied', ['fixed: (unset) → 2.0.1']],
      [6 * DAY, 'advance-notice'],
    ],
    { status: 'disclosed' },
  ),
  // Never acknowledged, never answered, still new: both deadlines missed.
  report('SEC-2025-0005', '2025-04-01T00:00:00.000Z', [], { status: 'new' }),
  // An upstream announcement is not a report.
  report('SEC-2025-0004', '2025-03-20T00:00:00.000Z', [], { kind: 'upstream' }),
  // Outside 2025.
  report('SEC-2024-0001', '2024-12-31T23:59:59.000Z', [[1, 'acknowledged']]),
];
// The disclosure of SEC-2025-0003 ran under `tick --now`: it acted as of day 30.
cases[2]!.history.push({
  id: 'disclosure-notice:1',
  at: '2025-03-12T00:00:00.000Z',
  simulatedAt: '2025-04-04T00:00:00.000Z',
  type: 'disclosure-notice',
  actor: 'security@example.org',
  summary: 'Public notice sent',
});

beforeAll(async () => {
  process.env.EMBARGO_DATA_DIR = join(dir, 'data');
  process.env.EMBARGO_CONFIG = '';
  await withLocalServices(
    async ({ services }) => {
      for (const record of cases) await services.cases.createIfAbsent(record);
    },
    undefined,
    { create: true },
  );
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const errors: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
  const error = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
  try {
    const code = await runCli(['node', 'embargo', ...args]);
    return { code, out: out.join('\n'), errors: errors.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const statsJson = async (...args: string[]): Promise<TeamStats> => {
  const { code, out, errors } = await cli('stats', '--json', ...args);
  expect({ code, errors }).toEqual({ code: 0, errors: '' });
  return JSON.parse(out) as TeamStats;
};

test('counts the reports of a year by month, upstream announcements apart', async () => {
  const stats = await statsJson('--year', '2025');
  expect(stats.period).toEqual({
    from: '2025-01-01T00:00:00.000Z',
    to: '2026-01-01T00:00:00.000Z',
  });
  expect(stats.reports).toBe(4);
  expect(stats.upstream).toBe(1);
  expect(stats.perMonth).toHaveLength(12);
  expect(stats.perMonth.slice(0, 5)).toEqual([
    { month: '2025-01', reports: 2 },
    { month: '2025-02', reports: 0 },
    { month: '2025-03', reports: 1 },
    { month: '2025-04', reports: 1 },
    { month: '2025-05', reports: 0 },
  ]);
}, 60_000);

test('times each step from arrival: median and 90th percentile over the reports that got there', async () => {
  const { times } = await statsJson('--year', '2025');
  // Acknowledged after 0.1, 0.2 and 50 h: the median is the middle one; the 90th percentile
  // lies 0.8 of the way from 0.2 to 50 (rank (3 - 1) × 0.9 = 1.8).
  expect(times.acknowledgment).toEqual({ count: 3, of: 4, medianHours: 0.2, p90Hours: 40.04 });
  // 2, 3 and 60 h.
  expect(times.firstMaintainerAction).toEqual({
    count: 3,
    of: 4,
    medianHours: 3,
    p90Hours: 48.6,
  });
  // 120 and 240 h: the median is their mean; the 90th percentile 0.9 of the way.
  expect(times.fix).toEqual({ count: 2, of: 4, medianHours: 180, p90Hours: 228 });
  // 27 days (648 h), and 30 days (720 h) as of the simulated instant, not when it was recorded.
  expect(times.disclosure).toEqual({ count: 2, of: 4, medianHours: 684, p90Hours: 712.8 });
}, 60_000);

test('counts the endings on record and the deadlines missed, naming the cases', async () => {
  const { endings, missedDeadlines } = await statsJson('--year', '2025');
  expect(endings).toEqual({
    none: 2,
    known: { fixed: 1, invalid: 0, wontfix: 0, duplicate: 1, 'out-of-scope': 0, closed: 0 },
    unknown: {},
    duplicates: 1,
    outOfScope: 0,
    invalid: 0,
  });
  expect(missedDeadlines).toEqual({
    acknowledgment: { count: 2, cases: ['SEC-2025-0003', 'SEC-2025-0005'] },
    answer: { count: 2, cases: ['SEC-2025-0002', 'SEC-2025-0005'] },
    disclosure: { count: 1, cases: ['SEC-2025-0003'] },
  });
}, 60_000);

test('takes a period by day or month, both ends included', async () => {
  const march = await statsJson('--from', '2025-03', '--to', '2025-03');
  expect([march.reports, march.upstream]).toEqual([1, 1]);
  expect(march.perMonth).toEqual([{ month: '2025-03', reports: 1 }]);
  const days = await statsJson('--from', '2024-12-31', '--to', '2025-01-10');
  expect(days.reports).toBe(2);
  expect(days.perMonth.map((m) => m.month)).toEqual(['2024-12', '2025-01']);
}, 60_000);

test('says what is wrong with a period, and what to write', async () => {
  const both = await cli('stats', '--year', '2025', '--from', '2025-02');
  expect(both.code).toBe(1);
  expect(both.errors).toContain('--year names a whole period');
  const bad = await cli('stats', '--from', '2025-13');
  expect(bad.code).toBe(1);
  expect(bad.errors).toContain('--from "2025-13" is not a year, month or day');
  expect(bad.errors).toContain('YYYY-MM-DD');
  const backwards = await cli('stats', '--from', '2025-03-01', '--to', '2025-02-01');
  expect(backwards.errors).toContain('the period is empty');
  const twice = await cli('stats', '--json', '--html', join(dir, 'both.html'));
  expect(twice.code).toBe(1);
  expect(twice.errors).toContain('Give --json or --html <file>, not both.');
}, 60_000);

test('prints text that fits 80 columns, without colour', async () => {
  const { code, out } = await cli('stats', '--year', '2025');
  expect(code).toBe(0);
  const lines = out.split('\n');
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
  expect(out).not.toContain('\u001b[');
  expect(out).toContain('4 reports (and 1 upstream announcement, not counted below)');
  expect(out).toMatch(/2025-01 {2}2 {2}#{40}\n {2}2025-02 {2}0\n {2}2025-03 {2}1 {2}#{20}/);
  expect(out).toMatch(/to acknowledgment +│ 12 min +│ 40\.0 h +│ 3 of 4/);
  expect(out).toMatch(/to disclosure +│ 28\.5 d +│ 29\.7 d +│ 2 of 4/);
  expect(out).toContain('Duplicates 1, out of scope 0, invalid 0');
  expect(out).toContain('acknowledgment after 48 h: 2 (SEC-2025-0003, SEC-2025-0005)');
  expect(out).toContain('embargo over 14 days (maxEmbargoDays): 1 (SEC-2025-0003)');
}, 60_000);

test('writes a page with inline SVG charts, no script, that validates as HTML', async () => {
  const file = join(dir, 'stats.html');
  const { code, out } = await cli('stats', '--year', '2025', '--html', file);
  expect(code).toBe(0);
  expect(out).toContain(`Wrote the statistics of 4 reports to ${file}.`);
  const page = readFileSync(file, 'utf8');
  expect(page).not.toMatch(
    /<script|javascript:|\bon[a-z]+=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i,
  );
  expect(page).toContain("default-src 'none'");
  expect(page.match(/<svg /g)).toHaveLength(3);
  expect(page).toContain('<title>2025-01: 2 reports</title>');
  const report = await new HtmlValidate({ extends: ['html-validate:standard'] }).validateString(
    page,
  );
  expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual(
    [],
  );
  // The page is not written over.
  const again = await cli('stats', '--html', file);
  expect(again.code).toBe(1);
  expect(again.errors).toContain('exists already');
}, 60_000);

test('follows maintainer commands run on a case: first action, fix and ending', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const id = 'SEC-2026-0099';
  await withLocalServices(async ({ services }) => {
    await services.cases.createIfAbsent(caseRecord(id, { status: 'new' }));
  });
  const before = await statsJson('--from', today);
  expect(before.times.firstMaintainerAction.count).toBe(0);
  expect((await cli('command', id, '/fixed 9.9.9')).code).toBe(0);
  expect((await cli('command', id, '/close invalid')).code).toBe(0);
  const after = await statsJson('--from', today);
  expect(after.reports).toBe(1);
  expect(after.times.firstMaintainerAction).toMatchObject({ count: 1, of: 1 });
  expect(after.times.firstMaintainerAction.medianHours).toBeLessThan(0.1);
  expect(after.times.fix.count).toBe(1);
  expect(after.endings.known.invalid).toBe(1);
  expect(after.endings.invalid).toBe(1);
}, 120_000);

test('reads no case received after --to: the period bounds the Query, not a filter after it', async () => {
  // A case after the period that no read can get through (its status is not one this version
  // knows): any listing that reads it fails, naming it.
  await withLocalServices(async ({ services }) => {
    await services.cases.createIfAbsent(
      caseRecord('SEC-2026-0098', {
        receivedAt: '2026-01-15T00:00:00.000Z',
        status: 'archived' as CaseRecord['status'],
      }),
    );
  });
  const unbounded = await cli('stats', '--json', '--from', '2025-01');
  expect(unbounded.code).toBe(1);
  expect(unbounded.errors).toContain('CASE#SEC-2026-0098');
  // Up to the last day, and the last instant, before it.
  expect((await statsJson('--from', '2025-01', '--to', '2026-01-14')).reports).toBe(4);
  expect((await statsJson('--to', '2025')).reports).toBe(5);
}, 60_000);
