/** The verdict of one check: what was found and, unless it passed, what to do. */
export interface CheckResult {
  readonly title: string;
  /** pass: fine; warn: works, but look at it; fail: the deploy or the inbox will not work; skip: not checked. */
  readonly status: 'pass' | 'warn' | 'fail' | 'skip';
  readonly summary: string;
  readonly action?: string;
}

export const pass = (title: string, summary: string): CheckResult => ({
  title,
  status: 'pass',
  summary,
});
export const warn = (title: string, summary: string, action: string): CheckResult => ({
  title,
  status: 'warn',
  summary,
  action,
});
export const fail = (title: string, summary: string, action: string): CheckResult => ({
  title,
  status: 'fail',
  summary,
  action,
});
export const skip = (title: string, summary: string, action?: string): CheckResult => ({
  title,
  status: 'skip',
  summary,
  action,
});

/** A check whose facts could not be gathered: the problem, and what to check. */
export const notChecked = (title: string, problem: string): CheckResult =>
  skip(
    title,
    `Could not check: ${problem}`,
    /^DNS does not work/.test(problem)
      ? 'Run doctor again where DNS works (or name a resolver with --dns <host:port>); until then the record is not checked. The records to publish are in docs/deploy.md, step 4.'
      : /is not implemented by the endpoint/.test(problem)
        ? 'Nothing to do against AWS itself, which implements the call; run doctor without AWS_ENDPOINT_URL to check this.'
        : /network did not answer/.test(problem)
          ? 'Check the network connection to AWS (and any proxy), then run doctor again.'
          : 'Check that your AWS credentials are valid for this account and region and allow the read-only calls listed in docs/deploy.md (step 9).',
  );
