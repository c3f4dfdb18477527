/**
 * openpgp, loaded on first use rather than when a Lambda starts: a watch run with nothing to
 * send never needs it. (Bundled, its initialisation is deferred until this is first called; a
 * function that encrypts or signs on every invocation pays it in its first one instead.)
 */
let loading: Promise<typeof import('openpgp')> | undefined;

export function openpgp(): Promise<typeof import('openpgp')> {
  loading ??= import('openpgp');
  return loading;
}
