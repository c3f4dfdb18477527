/**
 * A synth-time refusal a person can act on (a region without SES receiving, a bad context
 * value): the CDK app prints its message alone, without a stack trace, and exits 1.
 */
export class PreflightError extends Error {
  override name = 'PreflightError';
}
