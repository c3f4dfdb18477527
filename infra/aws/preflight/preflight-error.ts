import { EmbargoError, type ErrorCode } from '../../../shared/errors';

/**
 * A synth-time refusal a person can act on (a region without SES receiving, a bad context
 * value): the CDK app prints its code, reason and action alone, without a stack trace, and
 * exits 1.
 */
export class PreflightError extends EmbargoError {
  constructor(code: ErrorCode, reason: string, action: string) {
    super(code, reason, action);
  }
}
