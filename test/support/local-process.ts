import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

let defaults: { config: string; dataDir: string } | undefined;

/** A configuration file with the local defaults and a data directory, both the test's own. */
function testDefaults() {
  if (!defaults) {
    const dir = mkdtempSync(join(tmpdir(), 'embargo-test-defaults-'));
    const config = join(dir, 'embargo.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        project: 'example',
        securityAddress: 'security@example.org',
        announceAddress: 'announce@example.org',
      }),
    );
    defaults = { config, dataDir: join(dir, 'data') };
  }
  return defaults;
}

/**
 * The environment a child process gets: this machine's, without any `EMBARGO_*` setting of
 * the user's, and with a configuration file and data directory of the test's own unless the
 * test names them. So an embargo.config.json or .embargo/ in the checkout changes no test.
 */
export function isolatedEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('EMBARGO_')),
  );
  const own = testDefaults();
  return {
    ...base,
    ...env,
    EMBARGO_CONFIG: env.EMBARGO_CONFIG || own.config,
    EMBARGO_DATA_DIR: env.EMBARGO_DATA_DIR || own.dataDir,
  };
}

export interface RunningEmbargo {
  child: ChildProcess;
  smtpAddress: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `npm start`'s entry as its own process, as a user would, and waits for the ready line. */
export async function startEmbargo(env: Record<string, string>): Promise<RunningEmbargo> {
  const child = spawn(
    process.execPath,
    // As `npm start` runs it: node itself with the tsx loader, no wrapper process.
    ['--import', 'tsx', 'infra/local/start.ts'],
    {
      cwd: ROOT,
      env: isolatedEnv({ EMBARGO_SMTP_PORT: '0', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const smtpAddress = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Embargo did not start in time:\n${out}`)),
      30000,
    );
    const check = () => {
      const match = /ready: SMTP on (\S+) /.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Embargo exited with ${code} before it was ready:\n${out}`));
    });
  });
  return {
    child,
    smtpAddress,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}

/** Runs `npx embargo …` the way an operator does, returning its output. */
export function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/embargo.js'), ...args], {
    cwd: ROOT,
    env: isolatedEnv(env),
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `runCli` without blocking this process: needed when the servers the CLI talks to run inside
 * the test process itself.
 */
export function runCliAsync(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/embargo.js'), ...args], {
      cwd: ROOT,
      env: isolatedEnv(env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Polls until `probe` returns a value that `done` accepts, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = 15000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
