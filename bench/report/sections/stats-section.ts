/** Section 8 of docs/benchmarks.md: `npx embargo stats` over many cases (#28). */
import { formatMs } from '../../support/bench-support';
import { medianComputeMs } from '../../measurements/stats-over-cases';
import type { BenchResults } from '../results';

/** The headline row: no target was set; the figure is what the read and the sums cost. */
export function statsHeadline(r: Pick<BenchResults, 'stats'>): [string, string, string, string][] {
  const x = r.stats;
  if (!x) return [];
  return [
    [
      `npx embargo stats over ${x.cases.toLocaleString('en')} cases (dynalite)`,
      `read in ${x.queries} Query requests, ${formatMs(x.listMs)}; computed in ${formatMs(medianComputeMs(x))}`,
      'none set',
      '',
    ],
  ];
}

export function statsSection(r: BenchResults): string {
  const head = '## 8. npx embargo stats over many cases (#28)';
  const x = r.stats;
  if (!x) return `${head}\n\nNot measured in this run (\`npm run bench -- --only stats\`).`;
  return [
    head,
    '',
    `${x.cases.toLocaleString('en')} cases written through the case repository into dynalite, each with a`,
    `history of seven events and an advisory (${(x.averageCaseBytes / 1024).toFixed(1)} KiB of JSON on average), then`,
    'listed as `npx embargo stats` lists them and summed by `teamStats` (shared/stats/).',
    '',
    `- Reading: ${x.queries} DynamoDB Query requests (at most 1 MB each, docs/cli.md#statistics) in ${formatMs(x.listMs)}, the stored cases checked as they are read.`,
    `- Computing: ${formatMs(medianComputeMs(x))} (median of ${x.computeMs.length} runs).`,
  ].join('\n');
}
