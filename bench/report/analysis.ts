import { BARE_STAGES } from '../measurements/bare-work';
import { mean, median, percentile } from '../support/bench-support';
import type { ReportTiming } from '../measurements/burst';
import { RETIRED, TARGETS, type BenchResults } from './results';
import { STAGES } from '../measurements/stage-probe';

export interface Distribution {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(values: number[]): Distribution {
  const v = values.filter(Number.isFinite);
  return {
    n: v.length,
    p50: percentile(v, 50),
    p95: percentile(v, 95),
    p99: percentile(v, 99),
    max: v.length ? Math.max(...v) : NaN,
    mean: mean(v),
  };
}

const latencyOf = (t: ReportTiming) =>
  t.ackObservedAt !== undefined && t.acceptedAt !== undefined
    ? t.ackObservedAt - t.acceptedAt
    : NaN;

/** Mean ms (and calls) per report in each probed stage. */
function stageMeans(timings: ReportTiming[]): { stage: string; ms: number; calls: number }[] {
  const traced = timings.filter((t) => t.trace?.staged);
  return STAGES.map((stage) => ({
    stage,
    ms: mean(traced.map((t) => t.trace!.stages.get(stage)?.ms ?? 0)),
    calls: mean(traced.map((t) => t.trace!.stages.get(stage)?.calls ?? 0)),
  }));
}

export type Analysis = ReturnType<typeof analyze>;

export function analyze(r: BenchResults) {
  const b = r.burst;
  const n = b.burst.length;
  const latencies = b.burst.map(latencyOf);
  const acked = latencies.filter(Number.isFinite).length;
  const byType = (encrypted: boolean) =>
    distribution(b.burst.filter((t) => t.report.encrypted === encrypted).map(latencyOf));
  const queueWait = (t: ReportTiming) =>
    t.trace && t.acceptedAt !== undefined ? t.trace.startedAt - t.acceptedAt : NaN;
  const toAckWritten = (t: ReportTiming) =>
    t.trace?.ackWrittenAt !== undefined ? t.trace.ackWrittenAt - t.trace.startedAt : NaN;
  const watchLag = (t: ReportTiming) =>
    t.trace?.ackWrittenAt !== undefined && t.ackObservedAt !== undefined
      ? t.ackObservedAt - t.trace.ackWrittenAt
      : NaN;
  const slowest = [...b.burst]
    .filter((t) => Number.isFinite(latencyOf(t)))
    .sort((x, y) => latencyOf(y) - latencyOf(x))
    .slice(0, Math.max(1, Math.ceil(n / 100)));

  const dynamoCommands = new Map<string, number>();
  const traced = b.unloaded.filter((t) => t.trace?.staged);
  for (const t of traced)
    for (const [command, count] of t.trace!.dynamoCommands)
      dynamoCommands.set(command, (dynamoCommands.get(command) ?? 0) + count / traced.length);

  const ackSpanMs = b.lastAckAt - b.firstAcceptAt;
  const pipelinePerReportMs = (b.drainedAt - b.firstAcceptAt) / n;
  const bareTotals = r.bare.map((s) => s.totalMs);
  const bareMeanMs = mean(bareTotals);
  const bareByType = (encrypted: boolean) =>
    mean(r.bare.filter((s) => s.report.encrypted === encrypted).map((s) => s.totalMs));
  const bareStages = BARE_STAGES.map((stage) => ({
    stage,
    ms: mean(r.bare.map((s) => s.stages[stage])),
  }));

  const bundles = r.bundles.map((x) => ({
    entry: x.entry,
    bytes: x.bytes,
    gzipBytes: x.gzipBytes,
    mapBytes: x.mapBytes,
    // Runs saved before the separate parts have none.
    separateBytes: x.separateBytes ?? 0,
    loadMs: median(x.loadMs),
    loadRuns: x.loadMs.length,
    loadMinMs: Math.min(...x.loadMs),
    loadMaxMs: Math.max(...x.loadMs),
    loadWithSourceMapsMs: median(x.loadWithSourceMapsMs),
    split: x.split,
    topPackages: [...x.byPackage].sort((p, q) => q[1] - p[1]),
  }));

  const large = r.large;
  // Where the high-water mark rose by more than 4 MiB: between which two probe events.
  const progression: { from: string; to: string; peak: number; rss: number }[] = [];
  // (VmHWM is kept per thread and summed lazily by the kernel: take the running maximum.)
  let last = large.baselinePeak;
  let previous = 'runtime started';
  let beforeCopies = large.baselinePeak;
  let copiesStarted = false;
  for (const s of large.stagePeaks) {
    if (/^forward to maintainers/.test(s.stage)) copiesStarted = true;
    if (!copiesStarted) beforeCopies = Math.max(beforeCopies, s.peak);
    if (s.peak - last > 4 * 1024 * 1024 || s.stage === 'intake end') {
      last = Math.max(last, s.peak);
      progression.push({ from: previous, to: s.stage, peak: last, rss: s.rss });
    }
    previous = s.stage;
  }
  const largePeak = Math.max(large.peakAfterIntake, last);

  const p99 = percentile(latencies.filter(Number.isFinite), 99);
  const ratio = pipelinePerReportMs / bareMeanMs;
  const met = {
    p99: acked === n && p99 <= RETIRED.p99AckMs,
    ratio: ratio <= RETIRED.ratio,
    bundleSize: bundles.every((x) => x.bytes <= RETIRED.bundleBytes),
    // With source maps, as the stack runs the functions (NODE_OPTIONS=--enable-source-maps).
    bundleLoad: bundles.every((x) => x.loadWithSourceMapsMs <= TARGETS.loadMs),
    // The target is the function's memory: what Lambda's limit counts. The local runtime's
    // figure also holds the stand-ins for SES, S3 and DynamoDB, and is shown beside it.
    largePeak: r.intakeLambda.peakAfterHandler <= TARGETS.largePeakBytes,
  };

  return {
    n,
    acked,
    encryptedCount: b.burst.filter((t) => t.report.encrypted).length,
    acceptSpanMs: b.lastAcceptAt - b.firstAcceptAt,
    acceptRate: n / ((b.lastAcceptAt - b.firstAcceptAt) / 1000),
    ackSpanMs,
    throughput: n / (ackSpanMs / 1000),
    drainSpanMs: b.drainedAt - b.firstAcceptAt,
    latency: distribution(latencies),
    latencyPlain: byType(false),
    latencyEncrypted: byType(true),
    queueWait: distribution(b.burst.map(queueWait)),
    toAckWritten: distribution(b.burst.map(toAckWritten)),
    watchLag: distribution(b.burst.map(watchLag)),
    seenByScan: b.burst.filter((t) => t.ackVia === 'scan').length,
    slowest: {
      count: slowest.length,
      latency: mean(slowest.map(latencyOf)),
      queueWait: mean(slowest.map(queueWait)),
      toAckWritten: mean(slowest.map(toAckWritten)),
      watchLag: mean(slowest.map(watchLag)),
    },
    handler: distribution(
      b.burst.map((t) =>
        t.trace?.endedAt !== undefined ? t.trace.endedAt - t.trace.startedAt : NaN,
      ),
    ),
    retries: b.burst.filter((t) => (t.trace?.attempts ?? 1) > 1).length,
    unloaded: {
      latency: distribution(b.unloaded.map(latencyOf)),
      plain: distribution(b.unloaded.filter((t) => !t.report.encrypted).map(latencyOf)),
      encrypted: distribution(b.unloaded.filter((t) => t.report.encrypted).map(latencyOf)),
      handler: distribution(
        b.unloaded.map((t) =>
          t.trace?.endedAt !== undefined ? t.trace.endedAt - t.trace.startedAt : NaN,
        ),
      ),
      toAckWritten: distribution(b.unloaded.map(toAckWritten)),
      stages: stageMeans(b.unloaded),
    },
    dynamoCommands: [...dynamoCommands].sort((x, y) => y[1] - x[1]),
    dynamoCallsPerReport: [...dynamoCommands.values()].reduce((x, y) => x + y, 0),
    pipelinePerReportMs,
    ackSpanPerReportMs: ackSpanMs / n,
    bareMeanMs,
    bare: distribution(bareTotals),
    barePlainMs: bareByType(false),
    bareEncryptedMs: bareByType(true),
    bareStages,
    ratio,
    ratioToLastAck: ackSpanMs / n / bareMeanMs,
    bundles,
    packageCosts: r.packageCosts.map((c) => ({
      ...c,
      marginalMs: r.stubBaselineMs - c.withoutMs,
    })),
    stubBaselineMs: r.stubBaselineMs,
    largeProgression: progression,
    largePeak,
    largeBeforeCopies: beforeCopies,
    met,
    p99,
  };
}
