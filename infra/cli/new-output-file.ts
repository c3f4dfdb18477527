import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EmbargoError } from '../../shared/errors';

/**
 * Writes what a command fetched (a raw mail, a case file, an advisory record) to a file that
 * does not exist yet, readable by its owner only, and returns the full path. Never overwrites:
 * the content may be hostile, and the path may be someone else's file; creating exclusively
 * (`wx`) also leaves no moment in which another process's file at the path is replaced.
 */
export async function writeNewFile(path: string, content: string | Buffer): Promise<string> {
  const out = resolve(path);
  await writeFile(out, content, { flag: 'wx', mode: 0o600 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
    throw new EmbargoError('OUTPUT_EXISTS', `${out} exists already.`, 'Choose another --out path.');
  });
  return out;
}
