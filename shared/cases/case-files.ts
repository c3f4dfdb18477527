import { EmbargoError } from '../errors';

/** Files belonging to a case, such as patches (S3 in AWS, encrypted with the stack's key). */
export interface CaseFiles {
  put(key: string, content: Buffer, contentType: string): Promise<void>;
  /** The file's content; CaseFileMissingError when nothing is stored under `key`. */
  get(key: string): Promise<Buffer>;
}

export class CaseFileMissingError extends EmbargoError {
  constructor(readonly key: string) {
    super(
      'CASE_FILE_MISSING',
      `No case file is stored under "${key}".`,
      'Check the key in the maintainer copy or `npx embargo case <id>`; files are kept as long as raw mail (rawMailRetentionDays).',
    );
  }
}
