import type { DurationSummary } from '../../../shared/stats/duration-summary';
import type { MissedDeadlines } from '../../../shared/stats/missed-deadlines';
import type { TeamStats } from '../../../shared/stats/team-stats';

/** A duration in hours as people say it: minutes under an hour, hours under two days, else days. */
export function durationText(hours: number | undefined): string {
  if (hours === undefined) return '-';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${(Math.round(hours * 10) / 10).toFixed(1)} h`;
  return `${(Math.round((hours / 24) * 10) / 10).toFixed(1)} d`;
}

/** The four steps a report is timed to, in the order a case takes them, with their labels. */
export const timedSteps: { key: keyof TeamStats['times']; label: string }[] = [
  { key: 'acknowledgment', label: 'to acknowledgment' },
  { key: 'firstMaintainerAction', label: 'to first maintainer action' },
  { key: 'fix', label: 'to fix' },
  { key: 'disclosure', label: 'to disclosure' },
];

export const reachedText = (summary: DurationSummary) => `${summary.count} of ${summary.of}`;

/** The deadlines, worded with the project's own limits. */
export function deadlineLabels(limits: {
  ackWithinHours: number;
  maxEmbargoDays: number;
}): { key: keyof MissedDeadlines; label: string }[] {
  return [
    { key: 'acknowledgment', label: `acknowledgment after ${limits.ackWithinHours} h` },
    { key: 'answer', label: `no maintainer action within ${limits.ackWithinHours} h` },
    {
      key: 'disclosure',
      label: `embargo over ${limits.maxEmbargoDays} days (maxEmbargoDays)`,
    },
  ];
}

/** The period in words: "2026-01-01 to 2026-12-31" (the last day included), or open ends. */
export function periodText(period: TeamStats['period']): string {
  const day = (iso: string) => iso.slice(0, 10);
  const lastDay = (iso: string) => day(new Date(Date.parse(iso) - 1).toISOString());
  if (!period.from && !period.to) return 'all cases';
  if (!period.to) return `received from ${day(period.from!)}`;
  if (!period.from) return `received up to ${lastDay(period.to)}`;
  return `received ${day(period.from)} to ${lastDay(period.to)}`;
}
