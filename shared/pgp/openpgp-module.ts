/**
 * openpgp, loaded on first use rather than when a Lambda starts: a watch run with nothing to
 * send never needs it. (Bundled, its initialisation waits until this is first called; a function
 * that encrypts, signs or decrypts on every invocation pays it in its first one instead.)
 *
 * Every use of openpgp's values goes through here, none through a static import: under tsx
 * (local mode) a static import is a require() of openpgp's CommonJS build while import() loads
 * its ES module build, and keys from one instance are not keys to the other.
 */
let loading: Promise<typeof import('openpgp')> | undefined;

export function openpgp(): Promise<typeof import('openpgp')> {
  loading ??= import('openpgp');
  return loading;
}
