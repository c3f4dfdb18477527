import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InboundOutcome, InboundRecord } from '../../shared/intake/inbound-ledger';
import { runCli, waitFor, type RunningEmbargo } from './local-process';
import { PGP_FIXTURES, pgpFixture } from './local-stores';
import { parseSmtpAddress, sendRaw } from './smtp-client';

const NAMES = { mia: 'Mia', max: 'Max' } as const;

/** A maintainer entry for embargo.config.json, with a GnuPG fixture key. */
export function fixtureMaintainer(name: keyof typeof NAMES) {
  return {
    name: NAMES[name],
    email: `${name}@example.org`,
    publicKeyFile: join(PGP_FIXTURES, `${name}-public.asc`),
  };
}

/** The same maintainer as the resolved configuration holds it (key text, not a path). */
export function resolvedMaintainer(name: keyof typeof NAMES) {
  return {
    name: NAMES[name],
    email: `${name}@example.org`,
    publicKeyArmored: pgpFixture(`${name}-public.asc`).toString(),
  };
}

/**
 * A temporary local-mode project: embargo.config.json written, the fixture project key imported
 * with the CLI. Returns the folder and the environment for `npm start` and `npx embargo`.
 */
export function prepareLocalProject(prefix: string, config: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), `embargo-${prefix}-`));
  writeFileSync(
    join(dir, 'embargo.config.json'),
    JSON.stringify({
      project: 'example',
      securityAddress: 'security@example.org',
      announceAddress: 'announce@example.org',
      ...config,
    }),
  );
  const env: Record<string, string> = {
    EMBARGO_DATA_DIR: join(dir, 'data'),
    EMBARGO_CONFIG: join(dir, 'embargo.config.json'),
  };
  const imported = runCli(['key', 'import', join(PGP_FIXTURES, 'project-secret.asc')], env);
  if (imported.status !== 0) throw new Error(`key import failed: ${imported.stderr}`);
  return { dir, env };
}

/** Sends raw mail over SMTP and waits until intake has recorded what became of it. */
export async function sendAndAwaitOutcome(
  embargo: RunningEmbargo,
  env: Record<string, string>,
  raw: string | Buffer,
  envelope: { from: string; to: string },
): Promise<InboundOutcome | undefined> {
  const response = await sendRaw(
    parseSmtpAddress(embargo.smtpAddress),
    { from: envelope.from, to: [envelope.to] },
    raw,
  );
  const messageId = /stored as (\S+)/.exec(response)?.[1];
  const inbound = (): InboundRecord[] => JSON.parse(runCli(['inbound', '--json'], env).stdout);
  return waitFor(
    () => inbound().find((r) => r.messageId === messageId)?.outcome,
    (o) => o !== undefined,
  );
}

/** Sends a report over SMTP to the security address and returns the case it opened. */
export async function openCaseOverSmtp(
  embargo: RunningEmbargo,
  env: Record<string, string>,
  raw: string | Buffer,
  envelopeFrom: string,
): Promise<string> {
  const outcome = await sendAndAwaitOutcome(embargo, env, raw, {
    from: envelopeFrom,
    to: 'security@example.org',
  });
  if (outcome?.kind !== 'case') throw new Error(`expected a case, got ${JSON.stringify(outcome)}`);
  return outcome.caseId;
}
