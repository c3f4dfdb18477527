import { EmbargoError } from '../errors';

/** The parts of Octokit's RequestError read here (the rest holds the token and the request). */
interface HttpFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** GitHub's own error text: `message`, and the `errors` list of a 422. Never the request. */
function gitHubMessage(failure: HttpFailure): string {
  const data = failure.response?.data as
    { message?: unknown; errors?: unknown[] } | string | undefined;
  if (typeof data === 'string') return data.slice(0, 300);
  const parts: string[] = [];
  if (typeof data?.message === 'string') parts.push(data.message);
  for (const e of data?.errors ?? []) {
    if (typeof e === 'string') parts.push(e);
    else if (e && typeof e === 'object' && 'message' in e) parts.push(String(e.message));
    else if (e && typeof e === 'object' && 'field' in e) parts.push(`field ${String(e.field)}`);
  }
  return parts.join('; ').slice(0, 500);
}

function words(status: number | undefined, said: string, resetAt: string | undefined): string[] {
  const quoted = said ? ` GitHub said: "${said}".` : '';
  if (status === undefined)
    return [
      `GitHub could not be reached (${said || 'no response'}).`,
      'Nothing was changed on GitHub; Embargo tries again with the next change, or resend the command.',
    ];
  if (status === 401)
    return [
      `GitHub refused the token (401 Unauthorized).${quoted}`,
      'Check that the token is set (EMBARGO_GITHUB_TOKEN, or the GitHub token secret in AWS) and has not expired or been revoked.',
    ];
  if ((status === 403 || status === 429) && resetAt)
    return [
      `GitHub's rate limit is used up until ${resetAt}.${quoted}`,
      'Resend the command after that time.',
    ];
  if (status === 403)
    return [
      `GitHub did not allow this (403 Forbidden).${quoted}`,
      'The token needs the repository permission "Repository security advisories: Read and write" on the configured repository (see docs/github.md).',
    ];
  if (status === 404)
    return [
      `GitHub found no such repository or advisory (404 Not Found).${quoted}`,
      'Check `github.repository` in embargo.config.json, that the token can see that repository, and that the advisory was not deleted on GitHub.',
    ];
  if (status === 422)
    return [
      `GitHub did not accept the advisory (422 Unprocessable).${quoted}`,
      'Correct the field GitHub names with a command (for example /affected or /credit) and resend it.',
    ];
  if (status >= 500)
    return [
      `GitHub had a server error (${status}) and still had it after retries.${quoted}`,
      'Nothing needs changing on your side; resend the command later (see https://www.githubstatus.com).',
    ];
  return [`GitHub answered ${status}.${quoted}`, 'Resend the command later.'];
}

/** A failed GitHub call, said in words: what failed, and what a maintainer can do. */
export class GitHubRequestError extends EmbargoError {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    readonly problem: string,
    action: string,
  ) {
    super('GITHUB_REQUEST_FAILED', `Could not ${operation}: ${problem}`, action);
  }

  static from(operation: string, err: unknown): GitHubRequestError {
    if (err instanceof GitHubRequestError) return err;
    const failure = (err ?? {}) as HttpFailure;
    // Octokit reports a connection that failed as status 500 without a response.
    const status =
      typeof failure.status === 'number' && failure.response ? failure.status : undefined;
    const headers = failure.response?.headers ?? {};
    const reset = Number(headers['x-ratelimit-reset']);
    const limited = headers['x-ratelimit-remaining'] === '0' || status === 429;
    const resetAt =
      limited && Number.isFinite(reset) && reset > 0
        ? new Date(reset * 1000).toISOString().replace('.000Z', 'Z')
        : limited
          ? 'GitHub says to wait'
          : undefined;
    const said =
      status === undefined ? (failure.message ?? '').slice(0, 200) : gitHubMessage(failure);
    const [problem, action] = words(status, said, resetAt);
    return new GitHubRequestError(operation, status, problem!, action!);
  }
}
