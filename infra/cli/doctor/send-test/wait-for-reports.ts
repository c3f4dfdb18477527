import { assessReport, type Observed, type ReportProgress, type SentReport } from './test-progress';

/** Reads what the inbox shows (the case table in AWS, local mode's stores locally). */
export interface InboxObserver {
  observe(): Promise<Observed>;
}

export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  /** Told each time a report gets further (or hits a problem), with the time since the start. */
  onProgress?: (progress: ReportProgress, elapsedMs: number) => void;
}

const stageOf = (p: ReportProgress) =>
  `${p.caseOpen}/${p.acknowledged}/${p.copiesTo?.join(',') ?? ''}/${p.problem ?? ''}/${p.done}`;

/**
 * Polls until every report is done or has a problem, or the time is up; returns where each got.
 */
export async function waitForReports(
  reports: readonly SentReport[],
  maintainers: readonly string[],
  observer: InboxObserver,
  clock: WaitClock,
  options: WaitOptions,
): Promise<ReportProgress[]> {
  const start = clock.now();
  const seen = new Map<string, string>();
  for (;;) {
    const observed = await observer.observe();
    const progress = reports.map((r) => assessReport(r, observed, maintainers));
    for (const p of progress) {
      const stage = stageOf(p);
      if (seen.get(p.label) !== stage) {
        seen.set(p.label, stage);
        options.onProgress?.(p, clock.now() - start);
      }
    }
    if (progress.every((p) => p.done || p.problem)) return progress;
    if (clock.now() - start >= options.timeoutMs) return progress;
    await clock.sleep(options.pollMs);
  }
}
