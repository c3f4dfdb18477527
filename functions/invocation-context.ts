/** The part of Lambda's context object the handlers use (the local runtime passes none). */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** When Lambda stops this invocation, as the domain's `deadline` option takes it. */
export function deadlineOf(context: InvocationContext | undefined): { deadline?: Date } {
  return context ? { deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) } : {};
}
