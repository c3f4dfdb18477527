import { ConfigError } from '../../../shared/config/config-error';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import { holdsSecretKey, PUBLIC_KEY_EXPORT } from '../../../shared/pgp/mail-crypto';
import { PreflightError } from '../preflight/preflight-error';

/**
 * The expression in functions/aws-runtime.ts that esbuild replaces with the configuration. It is
 * bundled into the code rather than set in the environment: with maintainers' public keys it
 * outgrows the 4 KB that Lambda allows for environment variables.
 */
export const CONFIG_DEFINE = 'process.env.EMBARGO_CONFIG_JSON';

/**
 * esbuild gets the configuration as one command-line argument, and runs through npx, which hands
 * the whole command line to a shell as a single argument. Linux refuses an argument of 128 KiB
 * or more (MAX_ARG_STRLEN) with a bare E2BIG or exit status; 8 KiB is left for the rest of the
 * command (paths, other options, quoting).
 */
export const MAX_DEFINE_ARGUMENT_BYTES = 120 * 1024;

/**
 * The esbuild `define` that bundles the configuration: its value is a JavaScript string literal
 * holding the JSON. Fails synth, with the reason, when the argument would be too long to pass.
 */
export function configDefine(config: EmbargoConfig): Record<string, string> {
  // The last check before the configuration is written into every function's code: loading
  // refuses secret keys already, but a bundle must never hold one, whatever built the config.
  const secret = config.maintainers.filter(
    (m) => m.publicKeyArmored !== undefined && holdsSecretKey(m.publicKeyArmored),
  );
  if (secret.length) {
    throw new ConfigError(
      'the configuration to be bundled',
      secret.map(
        (m) =>
          `maintainer ${m.name} <${m.email}>: the key is a SECRET key; nothing was written. ${PUBLIC_KEY_EXPORT}`,
      ),
    );
  }
  const value = JSON.stringify(JSON.stringify(config));
  const bytes = Buffer.byteLength(`--define:${CONFIG_DEFINE}=${value}`);
  if (bytes > MAX_DEFINE_ARGUMENT_BYTES) {
    throw new PreflightError(
      'CONFIG_TOO_LARGE',
      `The configuration is about ${bytes} bytes as an esbuild argument, more than the ` +
        `${MAX_DEFINE_ARGUMENT_BYTES} it may take (Linux limits one command-line argument to 128 KiB).`,
      "Maintainers' public keys make up most of it: export them without " +
        'third-party signatures (`gpg --armor --export --export-options export-minimal ' +
        '<fingerprint>`), or use Ed25519 keys, which are much smaller than RSA keys.',
    );
  }
  return { [CONFIG_DEFINE]: value };
}
