/** The part of Lambda's context object the handlers use (the local runtime passes none). */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
  /** The ARN the function was invoked by (Lambda's context object always carries it). */
  invokedFunctionArn: string;
}

/** When Lambda stops this invocation, as the domain's `deadline` option takes it. */
export function deadlineOf(context: InvocationContext | undefined): { deadline?: Date } {
  return context ? { deadline: new Date(Date.now() + context.getRemainingTimeInMillis()) } : {};
}
