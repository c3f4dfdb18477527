import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { GnuPg } from './gnupg';
import { runCli, type RunningEmbargo } from './local-process';
import { PGP_FIXTURES } from './local-stores';

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
