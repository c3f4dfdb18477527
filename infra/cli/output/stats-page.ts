import escapeHtml from 'escape-html';
import type { TeamStats } from '../../../shared/stats/team-stats';
import { formatUtc } from '../../../shared/time/utc-text';
import { pageHead } from './page-head';
import { countsChart, monthsChart, timesChart } from './stats-charts';
import { deadlineLabels, durationText, periodText, reachedText, timedSteps } from './stats-figures';

const e = (text: string) => escapeHtml(text);

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table.figures { border-collapse: collapse; margin: 0.5rem 0; }
table.figures th, table.figures td { text-align: left; padding: 0.15rem 1rem 0.15rem 0; vertical-align: top; }
table.figures td.n { text-align: right; font-variant-numeric: tabular-nums; }
.when { font-family: ui-monospace, monospace; font-size: 0.9em; color: #555; }
svg { display: block; margin: 0.8rem 0; max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg .bar { fill: #2b6cb0; }
svg .median { fill: #2b6cb0; }
svg .p90 { fill: #a3c4e8; }
svg .axis, svg .tick { stroke: #bbb; }
svg .year { fill: #555; }
svg .none { fill: #777; font-style: italic; }
.missed { color: #c0392b; font-weight: bold; }
@media print { body { margin: 0; max-width: none; } }
`;

function timesTable(stats: TeamStats): string {
  const rows = timedSteps.map(({ key, label }) => {
    const s = stats.times[key];
    return `<tr><th>${e(label)}</th><td class="n">${e(durationText(s.medianHours))}</td><td class="n">${e(durationText(s.p90Hours))}</td><td class="n">${e(reachedText(s))}</td></tr>`;
  });
  return `<table class="figures">\n<tr><th>From arrival</th><th>Median</th><th>90th percentile</th><th>Reports</th></tr>\n${rows.join('\n')}\n</table>`;
}

function deadlinesTable(
  stats: TeamStats,
  limits: { ackWithinHours: number; maxEmbargoDays: number },
): string {
  const rows = deadlineLabels(limits).map(({ key, label }) => {
    const missed = stats.missedDeadlines[key];
    return `<tr><th>${e(label)}</th><td class="n${missed.count ? ' missed' : ''}">${missed.count}</td><td>${e(missed.cases.join(', '))}</td></tr>`;
  });
  return `<table class="figures">\n${rows.join('\n')}\n</table>`;
}

/** `npx embargo stats --html <file>`: one self-contained page, for a report or to print. */
export function statsHtmlPage(
  stats: TeamStats,
  limits: { project: string; ackWithinHours: number; maxEmbargoDays: number },
): string {
  const { endings } = stats;
  const title = `${limits.project}: how the security team is doing`;
  const endingRows: [string, number][] = [
    ['no ending yet', endings.none],
    ...Object.entries(endings.known),
    ...Object.entries(endings.unknown).map(([name, n]): [string, number] => [
      `${name} (unknown ending)`,
      n,
    ]),
  ];
  return `${pageHead(title, STYLE)}
<p class="when">Security reports ${e(periodText(stats.period))}, as of ${e(formatUtc(stats.asOf))}</p>
<p>${stats.reports} reports${stats.upstream ? ` (and ${stats.upstream} upstream announcements, not counted below)` : ''}; duplicates ${endings.duplicates}, out of scope ${endings.outOfScope}, invalid ${endings.invalid}.</p>
<h2>Reports per month (UTC)</h2>
${stats.perMonth.length ? monthsChart(stats.perMonth) : '<p>No reports.</p>'}
<h2>Time from a report's arrival</h2>
${timesChart(stats.times)}
${timesTable(stats)}
<p>Median and 90th percentile over the reports that got to each step; the dark bar is the median, the light one the 90th percentile, on a logarithmic scale.</p>
<h2>Endings on record</h2>
${countsChart('Endings on record', endingRows)}
<h2>Deadlines missed</h2>
${deadlinesTable(stats, limits)}
</body>
</html>
`;
}
