/** The opening of docs/benchmarks.md: the machine, and how busy it was during each phase. */
import { formatMs } from '../../support/bench-support';
import { mdTable } from '../format';
import type { BenchResults } from '../results';

export function machineSection(r: BenchResults): string {
  const rows = Object.entries(r.phases).map(([phase, s]) => [
    phase,
    formatMs(s.wallMs),
    s.benchCores.toFixed(2),
    s.otherCores.toFixed(2),
    s.loadAverage.toFixed(2),
  ]);
  return [
    `Measured on ${r.date} (run started ${r.startedAt}, took ${formatMs(r.durationMs)}) on this`,
    `project's machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB RAM,`,
    `Node ${r.machine.node} on Linux. The Lambdas run Node 22 on arm64, so absolute numbers there differ.`,
    '',
    'Other processes may run on the machine during a run, and what they use is not available to the',
    'bench. How busy the machine was during each phase, in cores on average (from /proc/stat; "bench"',
    'is this process and the children it ran, "others" everything else):',
    '',
    mdTable(
      [
        'Phase',
        'Wall time',
        'Cores used by the bench',
        'Cores used by others',
        'Load avg (1 min) at end',
      ],
      rows,
    ),
    '',
    ...loadNote(r),
  ].join('\n');
}

/** Whether the figures were taken on a busy machine, and with a smaller burst than the default. */
function loadNote(r: BenchResults): string[] {
  const busiest = Math.max(...Object.values(r.phases).map((s) => s.otherCores));
  const notes: string[] = [];
  if (busiest >= 0.25)
    notes.push(
      `**These figures were taken under load**: other work on the machine used up to ${busiest.toFixed(2)} of its ${r.machine.cores} cores during a phase (table above), so times and latencies are higher than on an idle machine.`,
    );
  if (r.reports < 1000)
    notes.push(
      `**This run used \`--reports ${r.reports}\`** (the default is 1,000): the burst figures are for that smaller burst.`,
    );
  return notes.length ? [notes.join(' ')] : [];
}
