import { formatMiB, formatMs } from '../support/bench-support';
import type { Analysis } from './analysis';
import { bundleMiB, kib, n1, plainYes } from './format';
import { floodHeadline } from './sections/flood-section';
import { schleuderHeadline } from './sections/schleuder-section';
import { type BenchResults, TARGETS } from './results';

/** The headline rows: what each target asks, what was measured, whether it is met. */
export function headline(r: BenchResults, a: Analysis): [string, string, string, string][] {
  const rows: [string, string, string, string][] = [
    [
      `Burst throughput (${a.n} reports, ${r.burst.inFlight} SMTP sessions)`,
      `${n1(a.throughput)} reports/s`,
      '—',
      '',
    ],
    [
      'Ack latency, SMTP 250 → ack in outbox',
      `p50 ${formatMs(a.latency.p50)} · p95 ${formatMs(a.latency.p95)} · p99 ${formatMs(a.latency.p99)}`,
      'a figure (p99 ≤ 1 s retired, #17)',
      '',
    ],
    ['Peak RSS of the burst process (VmHWM)', formatMiB(r.burst.peakRss), '—', ''],
    [
      'Bare work per message (parse + read + 3× render/encrypt)',
      `${formatMs(a.bareMeanMs)} mean`,
      '—',
      '',
    ],
    [
      'Pipeline time per report / bare work',
      `${formatMs(a.pipelinePerReportMs)} / ${formatMs(a.bareMeanMs)} = ${a.ratio.toFixed(2)}`,
      'a figure (#17)',
      '',
    ],
  ];
  for (const x of a.bundles) {
    rows.push([
      `Bundle ${x.entry}: size`,
      `${bundleMiB(x.bytes)}, ${x.bytes.toLocaleString('en')} B (${kib(x.gzipBytes)} gzipped)` +
        (x.separateBytes > 0 ? `; ${kib(x.separateBytes)} beside it, read on demand` : ''),
      'a figure (≤ 1 MiB retired, #17)',
      '',
    ]);
    rows.push([
      `Bundle ${x.entry}: load (median of ${x.loadRuns})`,
      `${formatMs(x.loadWithSourceMapsMs)} with --enable-source-maps (${formatMs(x.loadMs)} without)`,
      `≤ ${formatMs(TARGETS.loadMs)} with source maps`,
      plainYes(x.loadWithSourceMapsMs <= TARGETS.loadMs),
    ]);
  }
  rows.push([
    'Peak memory, one report with a 25 MiB attachment: the intake function (VmHWM)',
    `${formatMiB(r.intakeLambda.peakAfterHandler)} (${formatMiB(r.intakeLambda.peakAfterInit)} after loading)`,
    `≤ ${formatMiB(TARGETS.largePeakBytes)}`,
    plainYes(a.met.largePeak),
  ]);
  rows.push([
    `Peak memory, a PGP/MIME report with a ${formatMiB(r.intakeLambdaEncrypted.attachmentBytes)} attachment: the intake function`,
    `${formatMiB(r.intakeLambdaEncrypted.peakAfterHandler)} (${formatMiB(r.intakeLambdaEncrypted.messageBytes)} message)`,
    '—',
    '',
  ]);
  rows.push([
    '25 MiB report: the whole local runtime, stand-in stores included (VmHWM)',
    `${formatMiB(a.largePeak)} (${formatMiB(r.large.peakAtAck)} at the ack)`,
    '—',
    '',
  ]);
  rows.push(...floodHeadline(r));
  rows.push(...schleuderHeadline(r));
  return rows;
}
