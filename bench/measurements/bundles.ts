import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { configDefine } from '../../infra/aws/functions/bundled-config';
import {
  BUNDLE_BANNER,
  BUNDLE_CHARSET,
  BUNDLE_MAIN_FIELDS,
  IMPORT_META_URL,
  UNREACHED_CREDENTIAL_PROVIDERS,
  bundleAliases,
  separateExternals,
  separatePartCommands,
} from '../../infra/aws/functions/function-bundling';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { median } from '../support/bench-support';

/**
 * The stack's bundling options: what aws-cdk-lib's NodejsFunction passes to esbuild for
 * `bundling: { minify: true, sourceMap: true, sourcesContent: false, target: 'node22',
 * charset: UTF8, ... }`, then its afterBundling commands (the parts written beside the bundle)
 * (infra/aws/functions/embargo-function.ts), with the shared parts from
 * infra/aws/functions/function-bundling.ts.
 * The output is CommonJS, esbuild's default for node. esbuild also reads package.json's
 * `sideEffects`, as it does for the stack. If the stack's inline options change, change these.
 */
function stackBuildOptions(config: EmbargoConfig, entry: string) {
  return {
    bundle: true,
    target: 'node22',
    platform: 'node' as const,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    charset: BUNDLE_CHARSET,
    logLevel: 'warning' as const,
    external: [...UNREACHED_CREDENTIAL_PROVIDERS, ...separateExternals(entry)],
    mainFields: BUNDLE_MAIN_FIELDS,
    alias: bundleAliases(),
    banner: { js: BUNDLE_BANNER },
    define: {
      'import.meta.url': IMPORT_META_URL,
      ...configDefine(config),
    },
  };
}

/** Every function the stack deploys (infra/aws/embargo-stack.ts). */
export const FUNCTIONS = ['intake', 'notices', 'ack-watch', 'sending-events'] as const;

export interface BundleBuild {
  entry: string;
  file: string;
  bytes: number;
  mapBytes: number;
  gzipBytes: number;
  /** Bytes of the parts beside the bundle, read only when a message needs them (code, JSON). */
  separateBytes: number;
  /** Bytes in the output by npm package ("embargo" for this repository's code). */
  byPackage: Map<string, number>;
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match ? match[1]! : 'embargo';
}

/** Bytes of everything in a function's code folder but the bundle and its map. */
function separateBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && !f.name.endsWith('.map'))
    .map((f) => join(f.parentPath, f.name))
    .filter((path) => path !== join(dir, 'index.js'))
    .reduce((sum, path) => sum + statSync(path).size, 0);
}

/** Bundles functions/<entry>.ts into <outDir>/<entry>/index.js as the stack does. */
export async function bundleFunction(
  root: string,
  entry: string,
  outDir: string,
  config: EmbargoConfig,
  external: string[] = [],
): Promise<BundleBuild> {
  const dir = join(outDir, entry);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.js');
  const options = stackBuildOptions(config, entry);
  // metafile only reports what went in; it does not change the output.
  const result = await build({
    ...options,
    external: [...options.external, ...external],
    absWorkingDir: root,
    entryPoints: [join('functions', `${entry}.ts`)],
    outfile: file,
    metafile: true,
  });
  const output = Object.values((result.metafile as Metafile).outputs).find((o) => o.entryPoint);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = packageOf(input);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  for (const command of separatePartCommands(entry, dir)) execSync(command, { stdio: 'pipe' });
  const code = readFileSync(file);
  return {
    entry,
    file,
    bytes: code.length,
    mapBytes: statSync(`${file}.map`).size,
    gzipBytes: gzipSync(code).length,
    separateBytes: separateBytes(dir),
    byPackage,
  };
}

/** `node -e` that times require() of the bundle only: the handler is defined, never called. */
const LOAD_SCRIPT = `
const t = process.hrtime.bigint();
const m = require(process.env.BENCH_BUNDLE);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
if (typeof m.handler !== 'function') throw new Error('no handler export');
process.stdout.write(String(ms));
`;

/**
 * Compile (V8 parse of the whole file, inner functions pre-parsed) and evaluation (running the
 * module's top level: every bundled module's initialisation, lazily compiling what it calls),
 * timed separately the way require() does them.
 */
const SPLIT_SCRIPT = `
const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
const file = process.env.BENCH_BUNDLE;
const t0 = process.hrtime.bigint();
const source = fs.readFileSync(file, 'utf8');
const t1 = process.hrtime.bigint();
const script = new vm.Script(Module.wrap(source), { filename: file });
const t2 = process.hrtime.bigint();
const m = new Module(file, module);
m.filename = file;
m.paths = Module._nodeModulePaths(require('node:path').dirname(file));
script.runInThisContext()(m.exports, (id) => m.require(id), m, file, require('node:path').dirname(file));
const t3 = process.hrtime.bigint();
if (typeof m.exports.handler !== 'function') throw new Error('no handler export');
process.stdout.write(JSON.stringify({ read: Number(t1 - t0) / 1e6, compile: Number(t2 - t1) / 1e6, evaluate: Number(t3 - t2) / 1e6 }));
`;

/**
 * Loads the bundle with some packages replaced by an inert stand-in (a Proxy that is every
 * property, function and class at once), so that the difference to the full load is what those
 * packages cost. The stand-in is installed for the full-bundle baseline too.
 */
const STUB_SCRIPT = `
const Module = require('node:module');
const stubbed = JSON.parse(process.env.BENCH_STUBS || '[]');
const stub = new Proxy(function () {}, {
  get: (_t, p) => (p === Symbol.toPrimitive ? () => '' : p === 'prototype' ? {} : stub),
  apply: () => stub,
  construct: () => stub,
});
const load = Module._load;
Module._load = function (request, ...rest) {
  if (stubbed.some((s) => (s.endsWith('/*') ? request.startsWith(s.slice(0, -1)) : request === s || request.startsWith(s + '/'))))
    return stub;
  return load.call(this, request, ...rest);
};
${LOAD_SCRIPT}`;

function runNode(args: string[], script: string, env: Record<string, string>, cwd: string): string {
  return execFileSync(process.execPath, [...args, '-e', script], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Median ms of `runs` fresh processes each require()-ing the bundle. */
export function loadTimes(file: string, runs: number, nodeArgs: string[] = []): number[] {
  const times: number[] = [];
  // Run from the bundle's folder: nothing can be found in node_modules, as in Lambda.
  for (let i = 0; i < runs; i++) {
    times.push(
      Number(runNode(nodeArgs, LOAD_SCRIPT, { BENCH_BUNDLE: resolve(file) }, resolve(file, '..'))),
    );
  }
  return times;
}

export function loadSplit(
  file: string,
  runs: number,
): { read: number; compile: number; evaluate: number } {
  const samples: { read: number; compile: number; evaluate: number }[] = [];
  for (let i = 0; i < runs; i++) {
    samples.push(
      JSON.parse(
        runNode([], SPLIT_SCRIPT, { BENCH_BUNDLE: resolve(file) }, resolve(file, '..')),
      ) as {
        read: number;
        compile: number;
        evaluate: number;
      },
    );
  }
  return {
    read: median(samples.map((s) => s.read)),
    compile: median(samples.map((s) => s.compile)),
    evaluate: median(samples.map((s) => s.evaluate)),
  };
}

/** Median load ms of a bundle built with `stubbed` packages external and stood in for. */
export function stubbedLoadTimes(file: string, runs: number, stubbed: string[]): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    times.push(
      Number(
        runNode(
          [],
          STUB_SCRIPT,
          { BENCH_BUNDLE: resolve(file), BENCH_STUBS: JSON.stringify(stubbed) },
          resolve(file, '..'),
        ),
      ),
    );
  }
  return times;
}

/** Groups of packages whose load cost is measured by leaving them out of the intake bundle. */
export const PACKAGE_GROUPS: { name: string; packages: string[] }[] = [
  {
    name: 'AWS SDK v3 (@aws-sdk, @smithy)',
    packages: ['@aws-sdk/*', '@smithy/*', '@aws-crypto/*'],
  },
  { name: 'openpgp', packages: ['openpgp'] },
  {
    name: 'mailparser + libmime + iconv-lite',
    packages: ['mailparser', 'libmime', 'iconv-lite', 'encoding-japanese'],
  },
  { name: 'zod', packages: ['zod'] },
  { name: 'nodemailer (MailComposer)', packages: ['nodemailer'] },
];
