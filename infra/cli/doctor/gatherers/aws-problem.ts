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
  if (notImplemented(err)) {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    return (
      `${call} is not implemented by the endpoint that answered` +
      (endpoint ? ` (AWS_ENDPOINT_URL=${endpoint}, an emulator such as moto_server?)` : '') +
      ': nothing was read, so this is not checked.'
    );
  }
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN/.test(e.code ?? e.message ?? '')) {
    return `${call}: the network did not answer (${e.code ?? e.message}).`;
  }
  return `${call} failed: ${name}${e.message && e.message !== name ? ` (${e.message})` : ''}`;
}

/**
 * An API the endpoint does not have: an AWS-style refusal of the operation, or (as moto_server
 * answers SES v2 GetAccount and Lambda GetAccountSettings) HTTP 404 with a body that is not an
 * AWS answer at all, which the SDK fails to parse (a SyntaxError with the response's metadata).
 */
export function notImplemented(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  if (/^(UnknownOperationException|NotImplemented|InvalidAction)$/.test(e.name ?? '')) return true;
  return e.name === 'SyntaxError' && e.$metadata?.httpStatusCode === 404;
}
