import { GitHubRequestError } from './github-request-error';
import type { FileCommit, RepositoryFile, RepositoryFiles } from './repository-files';

/** Tries at one file before the failure is the caller's to record and tell. */
const WRITE_ATTEMPTS = 3;

export interface FileWrite<T> {
  files: RepositoryFiles;
  path: string;
  branch: string | undefined;
  message: string;
  /** What to return when the file already holds what is wanted (`attempt` > 1: after a failure). */
  kept(current: RepositoryFile, attempt: number): Promise<T | undefined>;
  /** The content to write over `current` (or as a new file). */
  content(current: RepositoryFile | undefined): Buffer | Promise<Buffer>;
  /** What to return for a commit this call made. */
  made(commit: FileCommit): T;
  /** Pause before reading again after a server error, times the attempt (1 s by default). */
  pauseMs?: number;
}

/**
 * Writes one file in a repository exactly once: reads it first and writes only when it does not
 * hold what is wanted; never retries a write blindly. After a 5xx or a lost connection (the
 * commit may have happened) it pauses and reads again; after a 409 or 422 (the file changed
 * since it was read) it reads again at once. Any other error, or the last attempt's, is thrown.
 */
export async function writeFileOnce<T>(write: FileWrite<T>): Promise<T> {
  const { files, path, branch, message } = write;
  for (let attempt = 1; ; attempt++) {
    const current = await files.get(path, branch);
    if (current) {
      const kept = await write.kept(current, attempt);
      if (kept !== undefined) return kept;
    }
    const content = await write.content(current);
    try {
      return write.made(
        current
          ? await files.update(path, content, message, current.sha, branch)
          : await files.create(path, content, message, branch),
      );
    } catch (err) {
      const status = err instanceof GitHubRequestError ? err.status : 0;
      const conflict = status === 409 || status === 422;
      if (!(status === undefined || (status ?? 0) >= 500 || conflict)) throw err;
      if (attempt >= WRITE_ATTEMPTS) throw err;
      if (!conflict)
        await new Promise((resolve) => setTimeout(resolve, (write.pauseMs ?? 1000) * attempt));
    }
  }
}
