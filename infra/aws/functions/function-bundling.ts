/**
 * How esbuild bundles each function, beyond minifying: one definition for the stack
 * (embargo-function.ts) and for the bench that measures the bundles
 * (bench/measurements/bundles.ts).
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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

/**
 * Written as UTF-8 rather than with non-ASCII characters escaped: iconv-lite's single-byte
 * tables are strings of them, and escaped they are 250 KiB more of intake to read and compile.
 */
export const BUNDLE_CHARSET = 'utf8' as const;

/**
 * Packages left out of the bundle and put in a file of their own beside it
 * (`node_modules/<name>/index.js` in the function's code), which Node reads only when the code
 * first imports them. pkijs (S/MIME, with its asn1js) is imported by `import()` only when a
 * message is S/MIME (shared/smime/smime-library.ts): bundled, V8 would read and compile its
 * 370 KiB at every cold start.
 */
export const SEPARATE_PACKAGES = ['pkijs'];

/**
 * iconv-lite's double-byte charset tables (Chinese, Japanese, Korean), required by relative path
 * from the functions that decode one: left out of the bundle and copied beside it as JSON, which
 * Node parses faster than as bundled code, and only when a mail in that charset arrives.
 */
export const SEPARATE_FILES = './tables/*';

/**
 * The functions with separate parts: intake, the only one that reads mail as it arrives. The
 * others never import them (and would bundle them if they did).
 */
const WITH_SEPARATE_PARTS = new Set(['intake']);

/** The packages and files the bundle of `functions/<entry>.ts` leaves to load from beside it. */
export function separateExternals(entry: string): string[] {
  return WITH_SEPARATE_PARTS.has(entry) ? [...SEPARATE_PACKAGES, SEPARATE_FILES] : [];
}

function packageModuleEntry(name: string): string {
  const manifest = require.resolve(`${name}/package.json`);
  const { module: esm, main } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    module?: string;
    main?: string;
  };
  return join(dirname(manifest), esm ?? main ?? 'index.js');
}

/**
 * The shell commands that write the separate packages and files into a function's code folder
 * (`outputDir`), once the bundle is there: run by the stack after bundling and by the bench.
 */
export function separatePartCommands(entry: string, outputDir: string): string[] {
  if (!WITH_SEPARATE_PARTS.has(entry)) return [];
  const esbuild = join(dirname(require.resolve('esbuild/package.json')), 'bin', 'esbuild');
  const packages = SEPARATE_PACKAGES.map((name) =>
    [
      `"${esbuild}"`,
      `"${packageModuleEntry(name)}"`,
      '--bundle',
      '--platform=node',
      '--target=node22',
      '--minify',
      `--charset=${BUNDLE_CHARSET}`,
      `--main-fields=${BUNDLE_MAIN_FIELDS.join(',')}`,
      '--sourcemap',
      '--sources-content=false',
      '--log-level=warning',
      `--outfile="${join(outputDir, 'node_modules', name, 'index.js')}"`,
    ].join(' '),
  );
  // The iconv-lite the bundle holds: the one libmime (mailparser's charset decoder) resolves.
  const iconv = require.resolve('iconv-lite/package.json', {
    paths: [dirname(require.resolve('libmime'))],
  });
  const tables = join(dirname(iconv), 'encodings', 'tables');
  return [
    ...packages,
    `mkdir -p "${join(outputDir, 'tables')}"`,
    `cp "${tables}"/*.json "${join(outputDir, 'tables')}/"`,
  ];
}
