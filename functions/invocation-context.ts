/** The part of Lambda's context object the handlers use (the local runtime passes none). */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}
