import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every GnuPG home a test run makes sits in one folder of that run, named in this variable by
 * the global set-up, so that the global tear-down can stop each home's gpg-agent. A home's own
 * clean-up cannot always: jest ends its workers without running their exit handlers, and every
 * agent left behind holds inotify watches until the machine runs out of them.
 */
const RUN_FOLDER = 'JEST_GNUPG_HOMES';

/** A new, empty GnuPG home for this test run. */
export function newGnupgHome(prefix: string): string {
  const root = process.env[RUN_FOLDER];
  return mkdtempSync(join(root && existsSync(root) ? root : tmpdir(), `${prefix}-`));
}

/** Stops the agent of a home, then removes it. */
export function removeGnupgHome(home: string): void {
  spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
  rmSync(home, { recursive: true, force: true });
}

/** Global set-up: the folder the run's homes go in. */
export function startGnupgRun(): void {
  process.env[RUN_FOLDER] = mkdtempSync(join(tmpdir(), 'embargo-test-gnupg-'));
}

/** Global tear-down: every home the run left, its agent stopped. */
export function endGnupgRun(): void {
  const root = process.env[RUN_FOLDER];
  if (!root || !existsSync(root)) return;
  for (const home of readdirSync(root)) removeGnupgHome(join(root, home));
  rmSync(root, { recursive: true, force: true });
}
