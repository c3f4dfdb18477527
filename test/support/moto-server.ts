import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

/**
 * moto_server (the Python package moto, an AWS API emulator) on a free local port, for the AWS
 * API test tier (test/aws). It is not installable from the registries this project reaches, so a
 * machine may lack it: the tier then skips, except under CI=true, where a skip is a failure
 * (CI's machine has it).
 */
export interface MotoServer {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL or a client's `endpoint`. */
  endpoint: string;
  stop(): Promise<void>;
}

export const MOTO_COMMAND = 'moto_server';

/** Whether moto_server can be started here (it answers --help). */
export function motoServerAvailable(): boolean {
  const probe = spawnSync(MOTO_COMMAND, ['--help'], { stdio: 'ignore', timeout: 30_000 });
  return probe.status === 0;
}

/** Why the tier does not run here, or undefined when it does; throws under CI=true. */
export function motoSkipReason(): string | undefined {
  if (motoServerAvailable()) return undefined;
  const reason =
    `${MOTO_COMMAND} is not on this machine, so the AWS API tier (test/aws) is skipped. ` +
    'Install moto (pip install "moto[server]") to run it.';
  if (process.env.CI === 'true') {
    throw new Error(`${reason} Under CI=true the tier must run: this is a failure.`);
  }
  return reason;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within 60 s`);
}

export async function startMotoServer(): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn(MOTO_COMMAND, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Only the tail, for the error message: moto logs every request here.
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`, { cause: err });
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
