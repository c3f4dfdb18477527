import { countOf } from '../../../shared/mail/count-text';
import { wrapParagraph } from '../../../shared/mail/wrapped-text';
import type { TeamStats } from '../../../shared/stats/team-stats';
import { formatUtc } from '../../../shared/time/utc-text';
import { fittedTable, withHiddenNote } from './fitted-table';
import { deadlineLabels, durationText, periodText, reachedText, timedSteps } from './stats-figures';
import { terminalStyle, type TerminalStyle } from './terminal-style';

const BAR_WIDTH = 40;

/** Reports per month as lines with a bar of `#` (no colour, so it survives a pipe). */
function monthLines(stats: TeamStats): string[] {
  const most = Math.max(1, ...stats.perMonth.map((m) => m.reports));
  const digits = String(most).length;
  return stats.perMonth.map(({ month, reports }) => {
    const bar = '#'.repeat(Math.round((reports / most) * BAR_WIDTH));
    return `  ${month}  ${String(reports).padStart(digits)}  ${bar}`.trimEnd();
  });
}

function endingLines(stats: TeamStats): string[] {
  const { endings } = stats;
  const rows: [string, number][] = [
    ['no ending yet', endings.none],
    ...Object.entries(endings.known),
    ...Object.entries(endings.unknown).map(([name, n]): [string, number] => [
      `${name} (an ending this version does not know)`,
      n,
    ]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, n]) => `  ${name.padEnd(width)}  ${n}`);
}

/**
 * `npx embargo stats` for a terminal or a pipe: plain text within the terminal's width (80 in a
 * pipe), no colour, tables by cli-table3 like the other commands.
 */
export function statsText(
  stats: TeamStats,
  limits: { project: string; ackWithinHours: number; maxEmbargoDays: number },
  style: TerminalStyle = terminalStyle(),
): string {
  const width = style.width;
  const times = fittedTable(
    [
      { head: 'From arrival', priority: 1, minWidth: 12 },
      { head: 'Median', priority: 2 },
      { head: '90th percentile', priority: 3 },
      { head: 'Reports', priority: 4 },
    ],
    timedSteps.map(({ key, label }) => {
      const summary = stats.times[key];
      return [
        label,
        durationText(summary.medianHours),
        durationText(summary.p90Hours),
        reachedText(summary),
      ];
    }),
    { style },
  );
  const deadlines = deadlineLabels(limits).flatMap(({ key, label }) => {
    const missed = stats.missedDeadlines[key];
    const line = `  ${label}: ${missed.count}${missed.count ? ` (${missed.cases.join(', ')})` : ''}`;
    return wrapParagraph(line, '    ', width);
  });
  const { endings } = stats;
  return [
    ...wrapParagraph(
      `${limits.project} security reports, ${periodText(stats.period)}, as of ${formatUtc(stats.asOf)}`,
      '',
      width,
    ),
    `${countOf(stats.reports, 'report')}${stats.upstream ? ` (and ${countOf(stats.upstream, 'upstream announcement')}, not counted below)` : ''}`,
    '',
    'Reports per month (UTC)',
    ...(stats.perMonth.length ? monthLines(stats) : ['  none']),
    '',
    "Time from a report's arrival (over the reports that got there)",
    withHiddenNote(times),
    '',
    `Duplicates ${endings.duplicates}, out of scope ${endings.outOfScope}, invalid ${endings.invalid}`,
    'Endings on record',
    ...endingLines(stats),
    '',
    'Deadlines missed',
    ...deadlines,
  ].join('\n');
}
