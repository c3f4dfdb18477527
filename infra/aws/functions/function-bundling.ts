/**
 * How esbuild bundles each function, beyond minifying: one definition for the stack
 * (embargo-function.ts) and for the bench that measures the bundles
 * (bench/measurements/bundles.ts).
 */

/** What `import.meta.url` becomes in the CommonJS bundle (declared by the bundle's banner). */
export const IMPORT_META_URL = '__embargoImportMetaUrl';

/**
 * esbuild resolves `import 'openpgp'` to its ES module build, which calls
 * createRequire(import.meta.url) as it loads. A CommonJS bundle has no import.meta, so the
 * function would fail on every cold start: the banner gives it the bundle file's own URL. (The
 * banner goes before esbuild's "use strict", so it repeats it to keep strict mode.)
 */
export const BUNDLE_BANNER = `'use strict'; const ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;`;

/**
 * ES module builds first. For Node, esbuild otherwise takes `main`: the AWS SDK's CommonJS
 * build, one file per client holding every command, which esbuild cannot tree-shake. With the
 * ES builds a function carries only the commands it sends (notices 1.4 → 1.1 MiB).
 */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

/**
 * Credential providers a Lambda never reaches, left out of the bundles. Lambda puts the role's
 * credentials in the environment, and the SDK's default chain tries the environment first; the
 * providers after it (SSO, shared files, processes, web identity, container and instance
 * metadata) are loaded only when it fails, with `import()`. Were one ever reached, Node would
 * load it from the Lambda runtime's own SDK. With the STS and SSO clients they need, that is
 * about 100 KiB of every bundle.
 */
export const UNREACHED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/**
 * libmime ships an ES module and a CommonJS build. mailparser imports the first and mailsplit
 * requires the second, so without this alias intake carries both (about 90 KiB more): every
 * import of libmime is sent to the CommonJS build.
 */
export function bundleAliases(): Record<string, string> {
  return { libmime: require.resolve('libmime') };
}
