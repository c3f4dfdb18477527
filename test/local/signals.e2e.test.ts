import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedEnv, waitFor } from '../support/local-process';

const ROOT = join(__dirname, '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `npm start` as systemd, Docker or `kill <pid>` see it: the process the user started. */
async function npmStart() {
  const dataDir = mkdtempSync(join(tmpdir(), 'embargo-signals-'));
  // Its own process group, as a shell gives a foreground job (what Ctrl-C signals).
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: isolatedEnv({ EMBARGO_DATA_DIR: dataDir, EMBARGO_SMTP_PORT: '0' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  npm.stdout.on('data', (c: Buffer) => (out += c.toString()));
  npm.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => npm.once('exit', resolve));
  await waitFor(
    () => out,
    (o) => o.includes('Embargo is ready'),
    30000,
  );
  // The pid of the process that holds the port and the store, whatever started it.
  const { pid } = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as {
    pid: number;
  };
  return { npm, pid, dataDir, exited, output: () => out };
}

describe('signals to npm start', () => {
  const started: number[] = [];
  // A failure here would leave Embargo running; end it by its own pid.
  afterEach(() => {
    for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('stops everything on one SIGTERM to the npm process', async () => {
    const run = await npmStart();
    started.push(run.pid);
    expect(run.pid).not.toBe(run.npm.pid);
    run.npm.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await waitFor(
      () => alive(run.pid),
      (a) => !a,
      10000,
    );
    expect(run.output()).toContain('Received SIGTERM');
    expect(run.output()).toContain('Embargo stopped.');
    expect(existsSync(join(run.dataDir, 'runtime.json'))).toBe(false);
  });

  it('stops on Ctrl-C (SIGINT to the foreground process group)', async () => {
    const run = await npmStart();
    started.push(run.pid);
    process.kill(-run.npm.pid!, 'SIGINT');
    await run.exited;
    await waitFor(
      () => alive(run.pid),
      (a) => !a,
      10000,
    );
    expect(run.output()).toContain('Embargo stopped.');
  });
});
