import { quantileSorted } from 'simple-statistics';

/** How long a step took over the cases that reached it: the middle and the slow end. */
export interface DurationSummary {
  /** Cases that reached the step (the times are theirs). */
  count: number;
  /** Cases that could have reached it: `count` of them did. */
  of: number;
  /** Absent when no case reached the step. */
  medianHours?: number;
  p90Hours?: number;
}

const HOUR_MS = 3_600_000;
/** Hours to two decimals (36 seconds): finer says nothing about a team's hours. */
const hours = (ms: number) => Math.round((ms / HOUR_MS) * 100) / 100;

/**
 * The median and 90th percentile of durations in milliseconds, by simple-statistics'
 * quantileSorted: linear interpolation between the closest ranks (R's type 7, numpy's default),
 * so the median of an even count is the mean of the middle two.
 */
export function durationSummary(durationsMs: number[], of: number): DurationSummary {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  if (!sorted.length) return { count: 0, of };
  return {
    count: sorted.length,
    of,
    medianHours: hours(quantileSorted(sorted, 0.5)),
    p90Hours: hours(quantileSorted(sorted, 0.9)),
  };
}
