/** Section 1, "Where the time goes": the profiled reports, by where the code comes from. */
import { formatMs } from '../../support/bench-support';
import { mdTable, pct } from '../format';
import type { BenchResults } from '../results';

export function profileSection(r: BenchResults, pipelinePerReportMs: number): string {
  const p = r.burst.profile;
  if (!p) return '';
  const total = [...p.byCategory.values()].reduce((x, y) => x + y, 0);
  const rows = [...p.byCategory]
    .sort((x, y) => y[1] - x[1])
    .map(([category, ms]) => [category, formatMs(ms / p.reports), pct(ms, total)]);
  const packages = [...p.byPackage]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 12)
    .map(([pkg, ms]) => `${pkg} ${pct(ms, total)}`)
    .join(', ');
  const internals = [...(p.byNodeInternal ?? new Map<string, number>())]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8)
    .map(([url, ms]) => `${url.replace(/^node:/, '')} ${pct(ms, total)}`)
    .join(', ');
  const idle = [...p.byCategory].filter(([k]) => /^idle/.test(k)).reduce((x, [, v]) => x + v, 0);
  return [
    '### Where the time goes',
    '',
    `${p.reports} more reports, same mix and concurrency, under V8's sampling profiler (1 ms`,
    `interval; the run took ${formatMs(p.wallMs)}). Self time of the main thread by where the code`,
    'comes from, per report. Everything in the runtime (the servers standing in for DynamoDB,',
    'S3 and SES receiving, and intake itself) shares this one thread; "idle" is the thread waiting',
    'for I/O or timers.',
    '',
    mdTable(['Code', 'Main-thread ms per report', 'Share'], rows),
    '',
    `The thread was busy ${formatMs((total - idle) / p.reports)} per report (everything but idle) and idle`,
    `${pct(idle, total)} of the time; the main burst took ${formatMs(pipelinePerReportMs)} of wall time per report.`,
    'The runtime is bound by this one thread.',
    '',
    `Heaviest packages: ${packages}.`,
    ...(internals ? ['', `Heaviest Node.js internals: ${internals}.`] : []),
  ].join('\n');
}
