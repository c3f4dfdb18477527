import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const MS_PER_TICK = 10; // USER_HZ = 100 on Linux

/** Fields of /proc/<pid>/stat after the command name (field 3, the state, is index 0). */
function statFields(pid: number | 'self'): number[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
  } catch {
    return undefined; // the process has ended
  }
}

/** CPU (user + system, ms) of the children this process has waited for: cutime + cstime. */
function childrenCpuMs(): number {
  const f = statFields('self')!;
  return ((f[13] ?? 0) + (f[14] ?? 0)) * MS_PER_TICK;
}

/** CPU (user + system, ms) a running process has used so far; 0 once it has ended. */
export function processCpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? ((f[11] ?? 0) + (f[12] ?? 0)) * MS_PER_TICK : 0;
}

/**
 * The gpg-agent serving a GnuPG home, if one runs. It is a daemon, not a child: the CPU of
 * the private-key operations it does is not in the children's time, so it is read apart.
 */
export function gpgAgentPid(home: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/gpg-agent$/.test(args[0] ?? '') && args.includes(home)) return Number(entry);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return undefined;
}

export interface ChildRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** User + system CPU of the child and everything it waited for (ms, 10 ms resolution). */
  cpuMs: number;
  wallMs: number;
}

/**
 * Runs a command to its end without blocking this process (an SMTP sink in it may have to
 * answer the child) and measures the child's CPU from this process's children's time. One at
 * a time: two children running together would share the figure.
 */
export async function runChild(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; input?: Buffer; cwd?: string } = {},
): Promise<ChildRun> {
  const before = childrenCpuMs();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        cpuMs: childrenCpuMs() - before,
        wallMs: performance.now() - started,
      }),
    );
    child.stdin.on('error', () => {}); // a child that exits before reading all of it
    child.stdin.end(options.input ?? Buffer.alloc(0));
  });
}
