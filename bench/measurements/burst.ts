import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { now, peakRssBytes, SECURITY_ADDRESS } from '../support/bench-support';
import { startBenchRuntime } from '../support/bench-runtime';
import { profileCategories } from '../support/machine';
import { OutboxWatcher, type ObservedMail } from '../support/outbox-watcher';
import type { BenchReport } from '../support/report-messages';
import { parseSmtpAddress, sendAll } from '../support/smtp-sender';
import { StageProbe, type IntakeTrace } from './stage-probe';

export interface ReportTiming {
  report: BenchReport;
  acceptedAt?: number;
  storedAs?: string;
  ackObservedAt?: number;
  ackVia?: ObservedMail['via'];
  trace?: IntakeTrace;
}

export interface BurstResult {
  /** Reports sent one at a time before the burst (each waited for), as warm-up. */
  unloaded: ReportTiming[];
  burst: ReportTiming[];
  /** The reports of the profiled burst. */
  profiled: ReportTiming[];
  inFlight: number;
  firstAcceptAt: number;
  lastAcceptAt: number;
  lastAckAt: number;
  /** When every intake invocation had finished, maintainer copies included. */
  drainedAt: number;
  /** CPU time of this process over the burst window, divided by its wall time. */
  cpuCores: number;
  /** Event-loop utilisation of the main thread over the burst window (0..1). */
  eventLoopUtilization: number;
  peakRss: number;
  maintainerCopies: number;
  expectedMaintainerCopies: number;
  unexpectedMail: number;
  deadLetters: number;
  warnings: Record<string, number>;
  probeMissing: string[];
  /** A second, smaller burst under V8's sampling profiler: where the main thread's time went. */
  profile?: {
    reports: number;
    wallMs: number;
    byCategory: Map<string, number>;
    byPackage: Map<string, number>;
    byNodeInternal: Map<string, number>;
  };
}

export interface BurstProgress {
  (
    stage: 'warm-up' | 'burst' | 'profiled burst',
    done: { accepted: number; acked: number; total: number },
  ): void;
}

/**
 * The local runtime in this process, fed over SMTP: first `unloaded` reports one at a time (the
 * service time without queueing, and warm-up), then `burst` with `inFlight` SMTP sessions.
 */
export async function runBurst(
  config: EmbargoConfig,
  unloaded: BenchReport[],
  burst: BenchReport[],
  inFlight: number,
  progress: BurstProgress,
  profiled: BenchReport[] = [],
): Promise<BurstResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'embargo-bench-'));
  try {
    const { runtime, log } = await startBenchRuntime(dataDir, config);
    const maintainers = new Set(config.maintainers.map((m) => m.email.toLowerCase()));
    const probe = new StageProbe(maintainers);
    probe.instrument(runtime.services);

    const timings = new Map<string, ReportTiming>();
    for (const report of [...unloaded, ...burst, ...profiled])
      timings.set(report.from.toLowerCase(), { report });
    let maintainerCopies = 0;
    let unexpectedMail = 0;
    let acked = 0;
    let onAck: (() => void) | undefined;
    const watcher = new OutboxWatcher(runtime.outboxDir, (mail) => {
      if (maintainers.has(mail.deliveredTo)) {
        maintainerCopies++;
        return;
      }
      const timing = timings.get(mail.deliveredTo);
      if (!timing || mail.inReplyTo !== timing.report.messageId || timing.ackObservedAt) {
        unexpectedMail++;
        return;
      }
      timing.ackObservedAt = mail.observedAt;
      timing.ackVia = mail.via;
      acked++;
      onAck?.();
    });
    await watcher.start();
    const target = parseSmtpAddress(runtime.smtpAddress);
    const envelope = (r: BenchReport) => ({
      envelope: { from: r.from, to: [SECURITY_ADDRESS] },
      raw: r.raw,
    });
    const accepted = (r: BenchReport, a: { acceptedAt: number; storedAs: string }) => {
      const timing = timings.get(r.from.toLowerCase())!;
      timing.acceptedAt = a.acceptedAt;
      timing.storedAs = a.storedAs;
    };
    /** Resolves when `count` acks are in, or rejects after `idleMs` without a new one. */
    const acksReach = (count: number, report: () => void, idleMs = 120_000) =>
      new Promise<void>((resolve, reject) => {
        let idle: NodeJS.Timeout;
        const check = () => {
          report();
          clearTimeout(idle);
          if (acked >= count) {
            onAck = undefined;
            return resolve();
          }
          idle = setTimeout(() => {
            onAck = undefined;
            reject(new Error(`only ${acked} of ${count} acknowledgments after ${idleMs} ms idle`));
          }, idleMs);
        };
        onAck = check;
        check();
      });

    // Unloaded: one report at a time, each fully handled (maintainer copies too) before the next.
    let ackTarget = 0;
    for (const [i, report] of unloaded.entries()) {
      await sendAll(target, [report], 1, envelope, accepted);
      ackTarget++;
      await acksReach(ackTarget, () => {});
      await runtime.drain();
      progress('warm-up', { accepted: i + 1, acked: i + 1, total: unloaded.length });
    }

    // The burst, timed per invocation only (no AsyncLocalStorage, so no async hooks).
    probe.light();
    let acceptedCount = 0;
    const report = () =>
      progress('burst', {
        accepted: acceptedCount,
        acked: acked - unloaded.length,
        total: burst.length,
      });
    const cpuBefore = process.cpuUsage();
    const eluBefore = performance.eventLoopUtilization();
    const wallBefore = now();
    ackTarget += burst.length;
    const allAcked = acksReach(ackTarget, report);
    await sendAll(target, burst, inFlight, envelope, (r, a) => {
      accepted(r, a);
      acceptedCount++;
      report();
    });
    await allAcked;
    await runtime.drain();
    const drainedAt = now();
    const cpu = process.cpuUsage(cpuBefore);
    const elu = performance.eventLoopUtilization(eluBefore);
    await watcher.flush();
    const peakRss = peakRssBytes();

    let profile: BurstResult['profile'];
    if (profiled.length) {
      const started = now();
      let profiledAccepted = 0;
      const base = acked;
      const show = () =>
        progress('profiled burst', {
          accepted: profiledAccepted,
          acked: acked - base,
          total: profiled.length,
        });
      const measured = await profileCategories(async () => {
        ackTarget += profiled.length;
        const done = acksReach(ackTarget, show);
        await sendAll(target, profiled, inFlight, envelope, (r, a) => {
          accepted(r, a);
          profiledAccepted++;
          show();
        });
        await done;
        await runtime.drain();
      });
      profile = {
        reports: profiled.length,
        wallMs: now() - started,
        byCategory: measured.byCategory,
        byPackage: measured.byPackage,
        byNodeInternal: measured.byNodeInternal,
      };
    }
    await watcher.stop();

    const deadLetterDir = join(dataDir, 'dead-letter');
    const deadLetters = existsSync(deadLetterDir) ? readdirSync(deadLetterDir).length : 0;
    await runtime.stop();

    for (const timing of timings.values()) {
      if (timing.storedAs) timing.trace = probe.traces.get(timing.storedAs);
    }
    const burstTimings = burst.map((r) => timings.get(r.from.toLowerCase())!);
    const accepts = burstTimings.map((t) => t.acceptedAt ?? NaN);
    const acks = burstTimings.map((t) => t.ackObservedAt ?? NaN);
    const firstAcceptAt = Math.min(...accepts);
    return {
      unloaded: unloaded.map((r) => timings.get(r.from.toLowerCase())!),
      burst: burstTimings,
      profiled: profiled.map((r) => timings.get(r.from.toLowerCase())!),
      inFlight,
      firstAcceptAt,
      lastAcceptAt: Math.max(...accepts),
      lastAckAt: Math.max(...acks),
      drainedAt,
      cpuCores: (cpu.user + cpu.system) / 1000 / (drainedAt - wallBefore),
      eventLoopUtilization: elu.utilization,
      peakRss,
      maintainerCopies,
      expectedMaintainerCopies:
        (unloaded.length + burst.length + profiled.length) * config.maintainers.length,
      unexpectedMail,
      deadLetters,
      warnings: Object.fromEntries(log.counts),
      probeMissing: probe.missing,
      ...(profile ? { profile } : {}),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
