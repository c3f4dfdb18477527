/**
 * Run by bench/measurements/large-report.ts in a fresh process, so that VmHWM counts only this:
 * the local runtime (SMTP gateway, dynalite, s3rver, intake) receiving one large report over SMTP
 * from the parent, acknowledging it and sending the maintainers their copies. Talks to the parent
 * over IPC.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig, peakRssBytes } from '../support/bench-support';
import { startBenchRuntime } from '../support/bench-runtime';
import { OutboxWatcher } from '../support/outbox-watcher';
import { StageProbe } from './stage-probe';

export interface LargeReportChildResult {
  baselinePeak: number;
  peakAtAck: number;
  peakAfterIntake: number;
  /** The high-water mark as each stage ended, in order. */
  stagePeaks: { stage: string; peak: number; rss: number }[];
  intakeMs: number;
  maintainerCopies: number;
  warnings: Record<string, number>;
}

function currentRss(): number {
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

async function main(): Promise<void> {
  const send = (message: unknown) => process.send?.(message);
  const dataDir = mkdtempSync(join(tmpdir(), 'embargo-bench-large-'));
  try {
    const config = benchConfig();
    const { runtime, log } = await startBenchRuntime(dataDir, config);
    const maintainers = new Set(config.maintainers.map((m) => m.email.toLowerCase()));
    const stagePeaks: LargeReportChildResult['stagePeaks'] = [];
    const probe = new StageProbe(maintainers, (stage) =>
      stagePeaks.push({ stage, peak: peakRssBytes(), rss: currentRss() }),
    );
    probe.instrument(runtime.services);
    let copies = 0;
    let acked: () => void = () => {};
    const ack = new Promise<void>((resolve) => (acked = resolve));
    const watcher = new OutboxWatcher(runtime.outboxDir, (mail) => {
      if (maintainers.has(mail.deliveredTo)) copies++;
      else acked();
    });
    await watcher.start();
    const baselinePeak = peakRssBytes();
    send({ type: 'ready', smtp: runtime.smtpAddress, baselinePeak });
    await ack;
    const peakAtAck = peakRssBytes();
    await runtime.drain();
    await watcher.flush();
    const peakAfterIntake = peakRssBytes();
    await watcher.stop();
    const trace = [...probe.traces.values()][0];
    const result: LargeReportChildResult = {
      baselinePeak,
      peakAtAck,
      peakAfterIntake,
      stagePeaks,
      intakeMs: trace?.endedAt ? trace.endedAt - trace.startedAt : NaN,
      maintainerCopies: copies,
      warnings: Object.fromEntries(log.counts),
    };
    await runtime.stop();
    send({ type: 'result', result });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.disconnect?.(),
  (err: unknown) => {
    process.send?.({ type: 'error', error: err instanceof Error ? err.stack : String(err) });
    process.exitCode = 1;
    process.disconnect?.();
  },
);
