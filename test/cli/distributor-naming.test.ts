import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync as runCli } from '../support/local-process';
import { PGP_FIXTURES } from '../support/local-stores';

// `distributor add --name-in-public-records` against local mode's own store (dynalite).
describe("a distributor's consent to be named in public records", () => {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-distributor-naming-'));
  const env = { EMBARGO_DATA_DIR: join(dir, 'data') };
  const add = (...extra: string[]) =>
    runCli(
      [
        'distributor',
        'add',
        'security@debian.example',
        '--name',
        'Debian',
        '--key',
        join(PGP_FIXTURES, 'debian-public.asc'),
        ...extra,
      ],
      env,
    );
  const listed = async () =>
    JSON.parse((await runCli(['distributor', 'list', '--json'], env)).stdout) as {
      nameInPublicRecords?: boolean;
    }[];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is kept with the distributor, shown in the list, and taken back by adding it again without', async () => {
    const given = await add('--name-in-public-records');
    expect(given.status).toBe(0);
    expect(given.stdout).toContain('named with its signed /status in public records');
    expect(await listed()).toEqual([expect.objectContaining({ nameInPublicRecords: true })]);
    const table = await runCli(['distributor', 'list', '--wide'], env);
    expect(table.stdout).toMatch(/Public name/);
    expect(table.stdout).toMatch(/Debian.*\byes\b/);

    const taken = await add();
    expect(taken.status).toBe(0);
    expect(taken.stdout).toContain('never named in public records (--name-in-public-records');
    expect((await listed())[0]!.nameInPublicRecords).toBeUndefined();
  }, 120_000);
});
