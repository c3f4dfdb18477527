import { InvalidEventError, UnstorableValueError, type ErrorCode } from '../shared/errors';
import type { Logger } from '../shared/logging/logger';

/** What a function answers for input that no retry can change: refused, with the reason. */
export interface RefusedInput {
  kind: 'refused';
  code: ErrorCode;
  reason: string;
}

/**
 * Input no retry can change (an event in the wrong shape or from the wrong invoker, a value the
 * table cannot store) becomes an outcome on the first attempt, logged as `function.input-refused`
 * (an alarm counts the line, docs/deploy.md): thrown, Lambda would run it twice more and then
 * leave it in the dead-letter queue. Anything else is thrown again, to be retried.
 */
export function refusedInput(
  err: unknown,
  log: Logger,
  context: { function: string } & Record<string, unknown>,
): RefusedInput {
  if (!(err instanceof InvalidEventError || err instanceof UnstorableValueError)) throw err;
  // The reason names fields and limits, never a value of the event.
  log.error('function.input-refused', { ...context, code: err.code, reason: err.reason });
  return { kind: 'refused', code: err.code, reason: err.reason };
}
