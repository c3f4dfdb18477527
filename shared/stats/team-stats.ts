import { DateTime } from 'luxon';
import type { CaseRecord } from '../cases/case-record';
import { caseMilestones, type CaseMilestones } from './case-milestones';
import { caseEndings, type CaseEndings } from './case-endings';
import { durationSummary, type DurationSummary } from './duration-summary';
import { missedDeadlines, type MeasuredCase, type MissedDeadlines } from './missed-deadlines';
import { inPeriod, type StatsPeriod } from './stats-period';

/** How the team is doing over a period: what `npx embargo stats` shows, and its `--json`. */
export interface TeamStats {
  /** The period asked for, ISO 8601 instants; null where it is open. */
  period: { from: string | null; to: string | null };
  asOf: string;
  /** Reports received in the period (upstream announcements are counted apart). */
  reports: number;
  upstream: number;
  /** Reports per calendar month (UTC), every month of the period, empty ones too. */
  perMonth: { month: string; reports: number }[];
  /** From the report's arrival to each step, over the reports that reached it. */
  times: {
    acknowledgment: DurationSummary;
    firstMaintainerAction: DurationSummary;
    fix: DurationSummary;
    disclosure: DurationSummary;
  };
  endings: CaseEndings;
  missedDeadlines: MissedDeadlines;
}

/** UTC months from the first to the last, inclusive, as YYYY-MM. */
function monthsBetween(first: DateTime, last: DateTime): string[] {
  const months: string[] = [];
  for (let m = first.startOf('month'); m <= last; m = m.plus({ months: 1 })) {
    months.push(m.toFormat('yyyy-LL'));
  }
  return months;
}

/**
 * Every month from the period's start (or the first report) to its end or now, whichever is
 * earlier (a period wholly ahead of now: to its end); empty months are shown, with 0.
 */
function perMonth(reports: CaseRecord[], period: StatsPeriod, now: Date) {
  const utc = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' });
  const received = reports.map((r) => Date.parse(r.receivedAt));
  const earliest = received.reduce((a, b) => Math.min(a, b), Infinity);
  const latest = received.reduce((a, b) => Math.max(a, b), -Infinity);
  const first = period.start?.getTime() ?? earliest;
  if (!Number.isFinite(first)) return [];
  // The period's last instant, not its end: a period to 1 April ends with March.
  const end = period.end ? period.end.getTime() - 1 : Infinity;
  const upTo = Math.min(end, now.getTime());
  const last = Math.max(upTo >= first ? upTo : Number.isFinite(end) ? end : first, latest);
  const counts = new Map(monthsBetween(utc(first), utc(last)).map((m) => [m, 0]));
  for (const at of received) {
    // As luxon's yyyy-LL in UTC, at a fraction of its cost over thousands of cases.
    const month = new Date(at).toISOString().slice(0, 7);
    counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  return [...counts].map(([month, count]) => ({ month, reports: count }));
}

function timesTo(reports: MeasuredCase[], step: keyof Omit<CaseMilestones, 'received'>) {
  const durations = reports.flatMap(({ milestones }) => {
    const at = milestones[step];
    // A clock set back (`tick --now` in the past) must not make a negative duration.
    return at ? [Math.max(0, at.getTime() - milestones.received.getTime())] : [];
  });
  return durationSummary(durations, reports.length);
}

/**
 * The team's figures over the cases received in `period`, computed from the case records and
 * their histories; `now` decides what is overdue among cases still waiting.
 */
export function teamStats(
  records: CaseRecord[],
  options: { period: StatsPeriod; maxEmbargoDays: number; now: Date },
): TeamStats {
  const { period, maxEmbargoDays, now } = options;
  const inside = records.filter((r) => inPeriod(period, new Date(r.receivedAt)));
  const reports = inside.filter((r) => r.kind !== 'upstream');
  const measured = reports.map((record) => ({ record, milestones: caseMilestones(record) }));
  return {
    period: {
      from: period.start?.toISOString() ?? null,
      to: period.end?.toISOString() ?? null,
    },
    asOf: now.toISOString(),
    reports: reports.length,
    upstream: inside.length - reports.length,
    perMonth: perMonth(reports, period, now),
    times: {
      acknowledgment: timesTo(measured, 'acknowledged'),
      firstMaintainerAction: timesTo(measured, 'firstMaintainerAction'),
      fix: timesTo(measured, 'fixed'),
      disclosure: timesTo(measured, 'disclosed'),
    },
    endings: caseEndings(reports),
    missedDeadlines: missedDeadlines(measured, maxEmbargoDays, now),
  };
}
