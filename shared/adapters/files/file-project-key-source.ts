import { readFile } from 'node:fs/promises';
import { EmbargoError, errorMessage } from '../../errors';
import type { ProjectKeySource } from '../../pgp/project-key-source';

/** Local mode keeps the project key in a file readable only by its owner. */
export class FileProjectKeySource implements ProjectKeySource {
  constructor(private readonly path: string) {}

  async armoredPrivateKey(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (err) {
      throw new EmbargoError(
        'PROJECT_KEY_MISSING',
        `Cannot read the project key at ${this.path} (${errorMessage(err)}).`,
        'Start `npm start` once to generate one, or run `npx embargo key import <file>`.',
        { cause: err },
      );
    }
  }
}
