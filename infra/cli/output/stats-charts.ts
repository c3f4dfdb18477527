import escapeHtml from 'escape-html';
import type { TeamStats } from '../../../shared/stats/team-stats';
import { durationText, timedSteps } from './stats-figures';

/**
 * The charts of the stats page as inline SVG: drawn here from the numbers, no script and no
 * library at view time, so the page opens anywhere and prints. Every text node is escaped.
 */
const e = (text: string) => escapeHtml(text);
const round = (n: number) => Math.round(n * 10) / 10;

const svg = (width: number, height: number, label: string, body: string[]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${e(label)}">\n<title>${e(label)}</title>\n${body.join('\n')}\n</svg>`;

/** Reports per month: one column a month, its count above it, the month below. */
export function monthsChart(perMonth: TeamStats['perMonth']): string {
  const barWidth = Math.max(8, Math.min(40, Math.floor(720 / Math.max(1, perMonth.length)) - 4));
  const step = barWidth + 4;
  const height = 160;
  const top = 18;
  const most = Math.max(1, ...perMonth.map((m) => m.reports));
  const width = Math.max(200, 40 + step * perMonth.length);
  const body = perMonth.flatMap(({ month, reports }, i) => {
    const h = round(((height - top) * reports) / most);
    const x = 30 + i * step;
    const y = round(top + height - top - h);
    // The year under January and the first column, the month number under every column.
    const [year, mm] = month.split('-');
    const showYear = i === 0 || mm === '01';
    return [
      `<rect class="bar" x="${x}" y="${y}" width="${barWidth}" height="${h}"><title>${e(`${month}: ${reports} reports`)}</title></rect>`,
      `<text x="${x + barWidth / 2}" y="${round(y - 4)}" text-anchor="middle">${reports}</text>`,
      `<text x="${x + barWidth / 2}" y="${height + 16}" text-anchor="middle">${e(mm!)}</text>`,
      ...(showYear ? [`<text x="${x}" y="${height + 32}" class="year">${e(year!)}</text>`] : []),
    ];
  });
  return svg(width, height + 40, 'Reports per month', [
    `<line class="axis" x1="26" y1="${height}" x2="${width - 4}" y2="${height}"/>`,
    ...body,
  ]);
}

const MINUTE = 1 / 60;
const ticks: [number, string][] = [
  [MINUTE, '1 min'],
  [1, '1 h'],
  [24, '1 d'],
  [24 * 7, '1 w'],
  [24 * 30, '30 d'],
  [24 * 90, '90 d'],
  [24 * 365, '1 y'],
];

/**
 * Time to each step on a logarithmic scale (minutes to acknowledge and months to disclose
 * share one axis): a dark bar to the median, a light one on to the 90th percentile.
 */
export function timesChart(times: TeamStats['times']): string {
  const label = 180;
  const plot = 460;
  const rowHeight = 30;
  const longest = Math.max(24, ...timedSteps.map(({ key }) => times[key].p90Hours ?? 0));
  const shownTicks = ticks.filter((_, i) => i === 0 || ticks[i - 1]![0] < longest);
  // The axis reaches the last tick, or further when the slowest case took longer still.
  const high = Math.log10(Math.max(shownTicks.at(-1)![0], longest));
  const low = Math.log10(MINUTE);
  const x = (hours: number) =>
    round(label + (plot * (Math.log10(Math.max(hours, MINUTE)) - low)) / (high - low));
  const rows = timedSteps.flatMap(({ key, label: name }, i) => {
    const y = 10 + i * rowHeight;
    const { medianHours, p90Hours } = times[key];
    const what =
      medianHours === undefined
        ? `${name}: no report got there`
        : `${name}: median ${durationText(medianHours)}, 90th percentile ${durationText(p90Hours)}`;
    return [
      `<text x="0" y="${y + 14}">${e(name)}</text>`,
      ...(medianHours === undefined
        ? [`<text x="${label}" y="${y + 14}" class="none">none yet</text>`]
        : [
            `<rect class="p90" x="${label}" y="${y}" width="${round(x(p90Hours!) - label)}" height="18"><title>${e(what)}</title></rect>`,
            `<rect class="median" x="${label}" y="${y}" width="${round(x(medianHours) - label)}" height="18"><title>${e(what)}</title></rect>`,
          ]),
    ];
  });
  const axisY = 10 + timedSteps.length * rowHeight;
  const axis = shownTicks.flatMap(([hours, name]) => [
    `<line class="tick" x1="${x(hours)}" y1="4" x2="${x(hours)}" y2="${axisY}"/>`,
    `<text x="${x(hours)}" y="${axisY + 14}" text-anchor="middle">${e(name)}</text>`,
  ]);
  return svg(label + plot + 30, axisY + 24, 'Time from arrival: median and 90th percentile', [
    ...axis,
    ...rows,
  ]);
}

/** Counts as horizontal bars, one a row, the count after the bar. */
export function countsChart(title: string, rows: [string, number][]): string {
  const label = 220;
  const plot = 380;
  const rowHeight = 24;
  const most = Math.max(1, ...rows.map(([, n]) => n));
  const body = rows.flatMap(([name, n], i) => {
    const y = 4 + i * rowHeight;
    const w = round((plot * n) / most);
    return [
      `<text x="0" y="${y + 13}">${e(name)}</text>`,
      `<rect class="bar" x="${label}" y="${y}" width="${w}" height="16"><title>${e(`${name}: ${n}`)}</title></rect>`,
      `<text x="${label + w + 6}" y="${y + 13}">${n}</text>`,
    ];
  });
  return svg(label + plot + 50, 8 + rows.length * rowHeight, title, body);
}
