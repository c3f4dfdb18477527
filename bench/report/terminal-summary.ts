/** The table and lines `npm run bench` prints on the terminal. */
import Table from 'cli-table3';
import { formatMs } from '../support/bench-support';
import { analyze } from './analysis';
import { headline } from './headline';
import type { BenchResults, PartialResults } from './results';
import { floodHeadline } from './sections/flood-section';
import { schleuderHeadline } from './sections/schleuder-section';
import { awsHeadline } from './sections/aws-section';

export function terminalSummary(r: BenchResults): string {
  const a = analyze(r);
  const table = new Table({
    head: ['Measure', 'Measured', 'Target', ''],
    wordWrap: true,
    ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }),
  });
  for (const row of [...headline(r, a), ...awsHeadline(r, a.dynamoCallsPerReport)]) table.push(row);
  const others = Object.entries(r.phases)
    .map(([phase, s]) => `${phase}: ${s.otherCores.toFixed(2)}`)
    .join(', ');
  return [
    `Embargo bench, ${r.date}, ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; took ${formatMs(r.durationMs)}`,
    table.toString(),
    `Acks ${a.acked}/${a.n}; maintainer copies ${r.burst.maintainerCopies}/${r.burst.expectedMaintainerCopies}; dead letters ${r.burst.deadLetters}; retried invocations ${a.retries}`,
    `Cores used by other processes on this machine during each phase: ${others}`,
    ...(r.flood
      ? [
          `Flood: outcomes ${JSON.stringify(r.flood.outcomes)}; mails to flood senders ${r.flood.mailsToFloodSenders}, to maintainers ${r.flood.mailsToMaintainers}; dead letters ${r.flood.deadLetters}`,
        ]
      : []),
  ].join('\n');
}

/** A run of some parts (`--only`): the headline rows those parts have. */
export function partialSummary(r: PartialResults): string {
  const table = new Table({
    head: ['Measure', 'Measured', 'Target', ''],
    wordWrap: true,
    ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }),
  });
  for (const row of [...floodHeadline(r), ...schleuderHeadline(r), ...awsHeadline(r)])
    table.push(row);
  const others = Object.entries(r.phases)
    .map(([phase, s]) => `${phase}: ${s.otherCores.toFixed(2)}`)
    .join(', ');
  return [
    `Embargo bench (${Object.keys(r.phases).join(', ')}), ${r.date}, ${r.machine.cores} cores (${r.machine.cpu}); took ${formatMs(r.durationMs)}`,
    table.toString(),
    `Cores used by other processes on this machine during each phase: ${others}`,
    ...(r.schleuder?.skipped
      ? [
          `Schleuder comparison skipped: ${r.schleuder.reason}; install it with \`${r.schleuder.install}\`.`,
        ]
      : []),
  ].join('\n');
}
