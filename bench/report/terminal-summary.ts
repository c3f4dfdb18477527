/** The table and lines `npm run bench` prints on the terminal. */
import Table from 'cli-table3';
import { terminalStyle } from '../../infra/cli/output/terminal-style';
import { wrapParagraph } from '../../shared/mail/wrapped-text';
import { formatMs } from '../support/bench-support';
import { analyze } from './analysis';
import { headline } from './headline';
import type { BenchResults, PartialResults } from './results';
import { floodHeadline } from './sections/flood-section';
import { schleuderHeadline } from './sections/schleuder-section';
import { awsHeadline } from './sections/aws-section';
import { statsHeadline } from './sections/stats-section';
import { disclosureHeadline } from './sections/disclosure-section';
import { duplicatesHeadline } from './sections/duplicates-section';

/** Shares of the width for Measure, Measured, Target and the verdict. */
const SHARES = [0.34, 0.22, 0.22, 0.22];

/**
 * The summary table's options for a terminal `width` columns wide (COLUMNS, the terminal's, or
 * 80 in a pipe): the columns share it and wrap their text, so no line is wider.
 */
export function summaryTableOptions(width: number): Table.TableConstructorOptions {
  // Each column's width includes its padding; the borders take one more column each, plus one.
  const inner = Math.max(width, 40) - (SHARES.length + 1);
  return {
    head: ['Measure', 'Measured', 'Target', ''],
    wordWrap: true,
    colWidths: SHARES.map((share) => Math.max(6, Math.floor(inner * share))),
    ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }),
  };
}

/** The summary's lines within the width (the table fits already), continued indented. */
function fitLines(lines: string[]): string {
  const width = terminalStyle().width;
  return lines
    .map((text) => (text.includes('\n') ? text : wrapParagraph(text, '  ', width).join('\n')))
    .join('\n');
}

export function terminalSummary(r: BenchResults): string {
  const a = analyze(r);
  const table = new Table(summaryTableOptions(terminalStyle().width));
  for (const row of [
    ...headline(r, a),
    ...awsHeadline(r, a.dynamoCallsPerReport),
    ...statsHeadline(r),
    ...disclosureHeadline(r),
    ...duplicatesHeadline(r),
  ])
    table.push(row);
  const others = Object.entries(r.phases)
    .map(([phase, s]) => `${phase}: ${s.otherCores.toFixed(2)}`)
    .join(', ');
  return fitLines([
    `Embargo bench, ${r.date}, ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; took ${formatMs(r.durationMs)}`,
    table.toString(),
    `Acks ${a.acked}/${a.n}; maintainer copies ${r.burst.maintainerCopies}/${r.burst.expectedMaintainerCopies}; dead letters ${r.burst.deadLetters}; retried invocations ${a.retries}`,
    `Cores used by other processes on this machine during each phase: ${others}`,
    ...(r.flood
      ? [
          `Flood: outcomes ${JSON.stringify(r.flood.outcomes)}; mails to flood senders ${r.flood.mailsToFloodSenders}, to maintainers ${r.flood.mailsToMaintainers}; dead letters ${r.flood.deadLetters}`,
        ]
      : []),
  ]);
}

/** A run of some parts (`--only`): the headline rows those parts have. */
export function partialSummary(r: PartialResults): string {
  const table = new Table(summaryTableOptions(terminalStyle().width));
  for (const row of [
    ...floodHeadline(r),
    ...schleuderHeadline(r),
    ...awsHeadline(r),
    ...statsHeadline(r),
    ...disclosureHeadline(r),
    ...duplicatesHeadline(r),
  ])
    table.push(row);
  const others = Object.entries(r.phases)
    .map(([phase, s]) => `${phase}: ${s.otherCores.toFixed(2)}`)
    .join(', ');
  return fitLines([
    `Embargo bench (${Object.keys(r.phases).join(', ')}), ${r.date}, ${r.machine.cores} cores (${r.machine.cpu}); took ${formatMs(r.durationMs)}`,
    table.toString(),
    `Cores used by other processes on this machine during each phase: ${others}`,
    ...(r.schleuder?.skipped
      ? [
          `Schleuder comparison skipped: ${r.schleuder.reason}; install it with \`${r.schleuder.install}\`.`,
        ]
      : []),
  ]);
}
