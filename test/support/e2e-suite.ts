import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GnuPg } from './gnupg';
import { runCli, startEmbargo, type RunningEmbargo } from './local-process';
import { openCaseOverSmtp, prepareLocalProject } from './local-project';
import { PGP_FIXTURES } from './local-stores';
import { readMaildir, type DeliveredMail } from './maildir';
import { rawMessage } from './smtp-client';

/** The distributors with fixture keys that end-to-end suites add (scripts/make-pgp-fixtures.ts). */
export const FIXTURE_DISTRIBUTORS = {
  debian: 'security@debian.example',
  fedora: 'secalert@fedora.example',
} as const;

/** Adds Debian and Fedora with their fixture keys through the CLI, as a project's admin would. */
export function addFixtureDistributors(env: Record<string, string>): void {
  for (const [name, org] of [
    ['debian', 'Debian'],
    ['fedora', 'Fedora'],
  ] as const) {
    const added = runCli(
      [
        'distributor',
        'add',
        FIXTURE_DISTRIBUTORS[name],
        '--name',
        org,
        '--key',
        join(PGP_FIXTURES, `${name}-public.asc`),
      ],
      env,
    );
    expect(added.stderr).toBe('');
  }
}

/** What sets one end-to-end suite apart; everything else is the same for all of them. */
export interface EndToEndSetup {
  /** embargo.config.json beyond the project, security and announce addresses. */
  config: Record<string, unknown>;
  /** Time moves only with `tick --now`: the scheduler's and the watch's timers wait an hour. */
  timeByTick?: boolean;
  /** More environment for `npm start` and `npx embargo`. */
  env?: Record<string, string>;
  /** Debian and Fedora added as distributors, with their fixture keys. */
  distributors?: boolean;
}

export interface EndToEnd {
  dir: string;
  env: Record<string, string>;
  embargo: RunningEmbargo;
}

/**
 * The start of an end-to-end suite: a temporary local project (config written, the fixture
 * project key imported), `npm start`'s process running on it and, if asked, the distributors
 * added. `closeEndToEnd` undoes it.
 */
export async function startEndToEnd(name: string, setup: EndToEndSetup): Promise<EndToEnd> {
  const project = prepareLocalProject(name, setup.config);
  const env: Record<string, string> = {
    ...project.env,
    ...(setup.timeByTick
      ? { EMBARGO_SCHEDULER_TICK_SECONDS: '3600', EMBARGO_WATCH_INTERVAL_SECONDS: '3600' }
      : {}),
    ...setup.env,
  };
  const embargo = await startEmbargo(env);
  if (setup.distributors) addFixtureDistributors(env);
  return { dir: project.dir, env, embargo };
}

/** Alice's report ("The parser overflows.") sent over SMTP; returns the case it opened. */
export function openAliceCase(
  running: Pick<EndToEnd, 'embargo' | 'env'>,
  messageId?: string,
): Promise<string> {
  return openCaseOverSmtp(
    running.embargo,
    running.env,
    rawMessage({ from: 'Alice <alice@example.net>', messageId, body: 'The parser overflows.' }),
    'alice@example.net',
  );
}

/** The mail local mode has sent so far, read from the project's Maildir outbox. */
export function readOutbox(dir: string): Promise<DeliveredMail[]> {
  return readMaildir(join(dir, 'data', 'outbox'));
}

/** The mails delivered to one address. */
export function mailsTo(mails: DeliveredMail[], address: string): DeliveredMail[] {
  return mails.filter((m) => m.deliveredTo === address);
}

/** The address a mail asks replies to go to (its first Reply-To address). */
export function replyToOf(mail: DeliveredMail): string {
  return mail.parsed.replyTo?.value[0]?.address ?? '';
}

/** What an end-to-end suite leaves behind: stops `npm start`, the GnuPG homes, the project folder. */
export async function closeEndToEnd(parts: {
  embargo: RunningEmbargo | undefined;
  gnupg?: GnuPg[];
  dir?: string;
}): Promise<void> {
  await parts.embargo?.stop();
  parts.gnupg?.forEach((g) => g.close());
  if (parts.dir) rmSync(parts.dir, { recursive: true, force: true });
}
