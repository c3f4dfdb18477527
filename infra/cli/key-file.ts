import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EmbargoError } from '../../shared/errors';
import { holdsSecretKey, PUBLIC_KEY_EXPORT } from '../../shared/pgp/mail-crypto';

const ARMOR = {
  public: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
  private: '-----BEGIN PGP PRIVATE KEY BLOCK-----',
} as const;

const EXPORT = {
  public: 'Export it with `gpg --export --armor <fingerprint>`.',
  private: 'Export it with `gpg --armor --export-secret-keys <fingerprint>`.',
} as const;

/**
 * A key file named on the command line, read as text: a missing file, a folder or an
 * unreadable file is said in words, and a file that holds no armored key of the expected kind
 * (a README, a binary export) is named as what it is not, before any OpenPGP parsing.
 */
export async function readArmoredKeyFile(file: string, kind: keyof typeof ARMOR): Promise<string> {
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new EmbargoError('KEY_FILE_UNREADABLE', `file not found: ${file}.`, 'Check the path.');
    if (code === 'EISDIR')
      throw new EmbargoError(
        'KEY_FILE_UNREADABLE',
        `${file} is a folder, not a key file.`,
        'Name the key file.',
      );
    if (code === 'EACCES')
      throw new EmbargoError(
        'KEY_FILE_UNREADABLE',
        `${file} cannot be read (permission denied).`,
        'Check its permissions.',
      );
    throw err;
  }
  if (kind === 'public' && holdsSecretKey(text)) {
    // Also when a public block sits beside it: the file is not to be stored or passed on.
    throw new EmbargoError(
      'KEY_FILE_WRONG_KIND',
      `${file} holds a SECRET key; Embargo takes only public keys here and did not store it.`,
      PUBLIC_KEY_EXPORT,
    );
  }
  if (!text.includes(ARMOR[kind])) {
    const other = kind === 'public' ? 'private' : 'public';
    const hint = text.includes(ARMOR[other]) ? ` (it holds a ${other} key)` : '';
    throw new EmbargoError(
      'KEY_FILE_WRONG_KIND',
      `${file} is not an OpenPGP ${kind} key${hint}.`,
      EXPORT[kind],
    );
  }
  return text;
}
