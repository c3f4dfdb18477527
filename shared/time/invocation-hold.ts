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
