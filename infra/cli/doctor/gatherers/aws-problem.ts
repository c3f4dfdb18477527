/**
 * An AWS SDK (or DNS) error in words for the report: which call, and what went wrong, without
 * a stack trace. The SDK's error names are stable (AccessDeniedException, …); the message adds
 * the detail AWS gave.
 */
export function awsProblem(call: string, err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  const name = e.name ?? 'Error';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    return `${call}: no AWS credentials found (set AWS_PROFILE, or run aws configure / aws sso login).`;
  }
  if (/AccessDenied|UnauthorizedOperation|AuthorizationError/i.test(name)) {
    return `${call} was denied: ${e.message ?? name}`;
  }
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(e.code ?? e.message ?? '')) {
    return `${call}: the network did not answer (${e.code ?? e.message}).`;
  }
  return `${call} failed: ${name}${e.message && e.message !== name ? ` (${e.message})` : ''}`;
}
