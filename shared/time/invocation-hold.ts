import { randomUUID } from 'node:crypto';

/** Added to a deadline, for clocks that differ a little between the hosts of invocations. */
const HOLD_MARGIN_MS = 5_000;

/**
 * Until when an invocation holds its work: the moment its invoker stops it (Lambda's timeout),
 * or `defaultMs` from now when the invoker sets no deadline, plus a margin for clock skew. A
 * stopped invocation cannot let go; its hold simply runs out then.
 */
export function holdUntil(now: Date, deadline: Date | undefined, defaultMs: number): Date {
  return new Date((deadline?.getTime() ?? now.getTime() + defaultMs) + HOLD_MARGIN_MS);
}

/** A piece of work that at-least-once invokers may start twice, and how one run holds it. */
export interface WorkHold<Taken> {
  /**
   * Takes the work for `holder` until `until` and returns what taking it found. Throws while
   * another holder's time has not passed at `now`.
   */
  take(holder: string, now: Date, until: Date): Promise<Taken>;
  /** Lets go of work `holder` took. */
  release(holder: string): Promise<void>;
}

export interface HoldOptions {
  now: Date;
  /** When the invoker stops this run (Lambda's timeout); the hold lasts until then. */
  deadline: Date | undefined;
  /** How long the hold lasts when the invoker sets no deadline. */
  defaultMs: number;
  /**
   * Let go after success too: for work that records its end elsewhere (a repeat then finds it
   * done). Without it, taking the work again finds what the run recorded.
   */
  releaseAfterSuccess?: boolean;
}

/**
 * Takes the hold, runs `work` with what taking found, and lets go after a failure so that the
 * retry can start at once instead of waiting for the hold to pass (the shape of Powertools'
 * IdempotencyHandler: take, work, release on failure). A failed release is left to run out.
 */
export async function whileHeld<Taken, Result>(
  hold: WorkHold<Taken>,
  options: HoldOptions,
  work: (taken: Taken) => Promise<Result>,
): Promise<Result> {
  const holder = randomUUID();
  const until = holdUntil(options.now, options.deadline, options.defaultMs);
  const taken = await hold.take(holder, options.now, until);
  let succeeded = false;
  try {
    const result = await work(taken);
    succeeded = true;
    return result;
  } finally {
    if (!succeeded || options.releaseAfterSuccess)
      await hold.release(holder).catch(() => undefined);
  }
}
