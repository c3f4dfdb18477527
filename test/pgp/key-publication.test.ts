import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKey, readKey, readPrivateKey } from 'openpgp';
import { securityTxt, wkdHash, zbase32 } from '../../shared/pgp/key-publication';
import { GnuPg } from '../support/gnupg';
import { runCli } from '../support/local-process';
import { PGP_FIXTURES } from '../support/local-stores';

describe('publishing the project key', () => {
  it('computes the Web Key Directory hash exactly as GnuPG does', () => {
    const gpg = new GnuPg(['project-public.asc', 'mia-public.asc']);
    try {
      const listing = gpg.run(['--with-wkd-hash', '--list-keys']).stdout.toString();
      for (const address of ['security@example.org', 'mia@example.org']) {
        const expected = new RegExp(
          `^\\s+([a-z0-9]{32})@${address.split('@')[1]!.replace('.', '\\.')}$`,
          'm',
        );
        const hashes = [...listing.matchAll(new RegExp(expected, 'gm'))].map((m) => m[1]);
        expect(hashes).toContain(wkdHash(address));
      }
    } finally {
      gpg.close();
    }
  });

  it('encodes z-base-32', () => {
    expect(zbase32(Buffer.from([0]))).toBe('yy');
    expect(zbase32(Buffer.from([0xff, 0xff]))).toBe('999o');
  });

  it('writes an RFC 9116 security.txt with the required fields', () => {
    const text = securityTxt({
      securityAddress: 'security@example.org',
      keyUrl: 'https://example.org/pgp-key.asc',
      canonicalUrl: 'https://example.org/.well-known/security.txt',
      expires: new Date('2027-11-25T00:00:00.123Z'),
    });
    expect(text).toContain('Contact: mailto:security@example.org\n');
    expect(text).toContain('Expires: 2027-11-25T00:00:00Z\n');
    expect(text).toContain('Encryption: https://example.org/pgp-key.asc\n');
  });

  it('writes the key, security.txt and the WKD files from the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embargo-publish-'));
    const env = { EMBARGO_DATA_DIR: join(dir, 'data'), EMBARGO_CONFIG: '' };
    try {
      expect(runCli(['key', 'import', join(PGP_FIXTURES, 'project-secret.asc')], env).status).toBe(
        0,
      );
      const published = runCli(['key', 'publish', '--out', join(dir, 'site')], env);
      expect(published.stderr).toBe('');
      const wkdFile = join(
        dir,
        'site',
        '.well-known',
        'openpgpkey',
        'hu',
        wkdHash('security@example.org'),
      );
      expect(existsSync(join(dir, 'site', '.well-known', 'openpgpkey', 'policy'))).toBe(true);
      const key = await readKey({ binaryKey: readFileSync(wkdFile) });
      const fingerprints = JSON.parse(
        readFileSync(join(PGP_FIXTURES, 'fingerprints.json'), 'utf8'),
      );
      expect(key.getFingerprint().toUpperCase()).toBe(fingerprints.project);
      expect(key.isPrivate()).toBe(false);
      expect(readFileSync(join(dir, 'site', 'pgp-key.asc'), 'utf8')).not.toContain('PRIVATE');
      expect(readFileSync(join(dir, 'site', '.well-known', 'security.txt'), 'utf8')).toContain(
        'Encryption: https://example.org/pgp-key.asc',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a missing key and a passphrase-protected key without a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embargo-nokey-'));
    try {
      const shown = runCli(['key', 'show'], { EMBARGO_DATA_DIR: dir });
      expect(shown.status).toBe(1);
      expect(shown.stderr).toMatch(/no project key .*\nTo do: Run `npm start` once/);

      const locked = await encryptKey({
        privateKey: await readPrivateKey({
          armoredKey: readFileSync(join(PGP_FIXTURES, 'project-secret.asc'), 'utf8'),
        }),
        passphrase: 'correct horse',
      });
      const file = join(dir, 'locked.asc');
      writeFileSync(file, locked.armor());
      const env = { EMBARGO_DATA_DIR: dir, EMBARGO_CONFIG: '' };
      const noTerminal = runCli(['key', 'import', file], env);
      expect(noTerminal.status).toBe(1);
      expect(noTerminal.stderr).toContain('Set EMBARGO_KEY_PASSPHRASE');
      const wrong = runCli(['key', 'import', file], { ...env, EMBARGO_KEY_PASSPHRASE: 'wrong' });
      expect(wrong.stderr).toContain('The passphrase does not unlock the project key');
      const right = runCli(['key', 'import', file], {
        ...env,
        EMBARGO_KEY_PASSPHRASE: 'correct horse',
      });
      expect(right.status).toBe(0);
      expect(runCli(['key', 'show'], env).stdout).toContain('security@example.org');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
