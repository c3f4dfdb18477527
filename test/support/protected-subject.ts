import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import libmime from 'libmime';
import { newGnupgHome, removeGnupgHome } from './gnupg-homes';

const KEYS = join(__dirname, '..', 'fixtures', 'pgp');
/** Everyone Embargo's tests send encrypted mail to. */
const RECIPIENTS = ['mia', 'max', 'alice', 'eve', 'debian', 'fedora'];

let home: string | undefined;
const subjects = new Map<string, string | undefined>();

function gnupgHome(): string {
  if (home) return home;
  const created = newGnupgHome('embargo-gpg-subjects');
  for (const name of RECIPIENTS)
    spawnSync('gpg', [
      '--homedir',
      created,
      '--batch',
      '--import',
      join(KEYS, `${name}-secret.asc`),
    ]);
  process.on('exit', () => removeGnupgHome(created));
  home = created;
  return created;
}

/**
 * The Subject a recipient's client shows for an encrypted mail: the protected one inside the
 * encryption (RFC 9788), decrypted with GnuPG and the fixture recipients' keys. Undefined for
 * mail that is not encrypted or carries no protected Subject.
 */
export function protectedSubject(raw: string): string | undefined {
  const armored = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(raw)?.[0];
  if (!armored || !/^content-type:\s*multipart\/encrypted/im.test(raw)) return undefined;
  const digest = createHash('sha256').update(armored).digest('hex');
  if (subjects.has(digest)) return subjects.get(digest);
  const result = spawnSync('gpg', ['--homedir', gnupgHome(), '--batch', '--decrypt'], {
    input: armored,
  });
  // Only the plaintext matters here (signatures are checked where a test is about them).
  const plaintext = result.stdout.toString('latin1');
  const headerBlock = plaintext.split(/\r?\n\r?\n/)[0] ?? '';
  const line = /^subject:(.*)$/im.exec(headerBlock.replace(/\r?\n[ \t]+/g, ' '))?.[1];
  const subject = line === undefined ? undefined : libmime.decodeWords(line.trim());
  subjects.set(digest, subject);
  return subject;
}
