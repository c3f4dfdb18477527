import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync as runCli } from '../support/local-process';
import { PGP_FIXTURES, pgpFixture } from '../support/local-stores';

describe('key files on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-key-files-'));
  const env = { EMBARGO_DATA_DIR: join(dir, 'data') };
  const debianKey = join(PGP_FIXTURES, 'debian-public.asc');

  it('says "file not found" for a missing key file', async () => {
    const imported = await runCli(['key', 'import', join(dir, 'nope.asc')], env);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toMatch(
      /^Error KEY_FILE_UNREADABLE: file not found: .*nope\.asc\.\nTo do: Check the path\.$/m,
    );
    expect(imported.stderr).not.toContain('ENOENT');
    const added = await runCli(
      ['distributor', 'add', 'security@debian.example', '--name', 'Debian', '--key', 'nope.asc'],
      env,
    );
    expect(added.stderr).toMatch(/^Error KEY_FILE_UNREADABLE: file not found: nope\.asc\./m);
  });

  it('names a file that holds no key for what it is not', async () => {
    const readme = await runCli(
      ['distributor', 'add', 'security@debian.example', '--name', 'Debian', '--key', 'README.md'],
      env,
    );
    expect(readme.status).toBe(1);
    expect(readme.stderr).toMatch(
      /^Error KEY_FILE_WRONG_KIND: README\.md is not an OpenPGP public key\.\nTo do: Export it with/m,
    );
    const publicAsPrivate = await runCli(['key', 'import', debianKey], env);
    expect(publicAsPrivate.stderr).toContain(
      'is not an OpenPGP private key (it holds a public key)',
    );
  });

  it('refuses a secret key offered as a distributor key, names the export command and stores nothing', async () => {
    // A GnuPG export of a secret key, alone and with its public key beside it in one file.
    const secret = pgpFixture('debian-secret.asc').toString();
    const both = join(dir, 'debian-both.asc');
    writeFileSync(both, `${pgpFixture('debian-public.asc').toString()}\n${secret}`);
    for (const file of [join(PGP_FIXTURES, 'debian-secret.asc'), both]) {
      const added = await runCli(
        ['distributor', 'add', 'security@debian.example', '--name', 'Debian', '--key', file],
        env,
      );
      expect(added.status).toBe(1);
      expect(added.stderr).toContain('holds a SECRET key; Embargo takes only public keys here');
      expect(added.stderr).toContain('`gpg --export --armor <fingerprint>`');
    }
    const listed = await runCli(['distributor', 'list', '--json'], env);
    expect(listed.stdout).not.toContain('security@debian.example');
  });

  it("refuses a distributor key that does not name the distributor's address, unless --force", async () => {
    const add = (...extra: string[]) =>
      runCli(
        [
          'distributor',
          'add',
          'security@other.example',
          '--name',
          'Other',
          '--key',
          debianKey,
          ...extra,
        ],
        env,
      );
    const refused = await add();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('No user id of the key in');
    expect(refused.stderr).toContain(
      'names security@other.example (it has "Debian Security <security@debian.example>")',
    );
    expect(refused.stderr).toContain('add --force to use it anyway');
    const forced = await add('--force');
    expect(forced.status).toBe(0);
    expect(forced.stderr).toMatch(/^Warning: No user id .* Used anyway \(--force\)\.$/m);
    const listed = await runCli(['distributor', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ email: 'security@other.example' }),
    ]);
  });

  it('keeps the key that `key import` replaces, beside it, and says where', async () => {
    const first = await runCli(['key', 'generate'], env);
    expect(first.status).toBe(0);
    const keys = join(dir, 'data', 'keys');
    const before = readFileSync(join(keys, 'security-private.asc'), 'utf8');
    const imported = await runCli(['key', 'import', join(PGP_FIXTURES, 'project-secret.asc')], env);
    expect(imported.status).toBe(0);
    const backup = /The key it replaces is kept in (\S+)\.$/m.exec(imported.stdout)?.[1];
    expect(backup).toMatch(/keys\/security-private\.\d{4}-\d\d-\d\dT[\d-]+Z\.asc$/);
    expect(readFileSync(backup!, 'utf8')).toBe(before);
    expect(statSync(backup!).mode & 0o777).toBe(0o600);
    expect(existsSync(join(keys, 'generated.json'))).toBe(false);
  });

  it('`key generate` refuses to replace a key without --replace', async () => {
    const refused = await runCli(['key', 'generate'], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Add --replace');
  });
});
