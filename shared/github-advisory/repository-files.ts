/**
 * The port to files in a code host's repository (GitHub's contents API): what the OSV record's
 * publication needs to commit one file (and its later versions) and to find out, after a failure, whether it did. The
 * adapter is in shared/adapters/github.
 */

/** A file as the repository has it on a branch. */
export interface RepositoryFile {
  /** The blob's SHA. */
  sha: string;
  content: Buffer;
  /** The file's page on the code host. */
  url: string;
}

/** The commit that added or changed a file. */
export interface FileCommit {
  sha: string;
  /** The commit's page on the code host. */
  url: string;
  /** The file's page, when the answer names it. */
  fileUrl?: string;
}

export interface RepositoryFiles {
  /** The file at `path` on `branch` (the default branch without one); undefined if there is none. */
  get(path: string, branch?: string): Promise<RepositoryFile | undefined>;
  /**
   * Adds a new file in one commit. Never retried by the client: its outcome may be unknown
   * after a server error, and the caller looks before trying again.
   */
  create(path: string, content: Buffer, message: string, branch?: string): Promise<FileCommit>;
  /**
   * Replaces the file whose current blob is `sha` in one commit; GitHub refuses (409) when the
   * file has changed since. Never retried by the client, like `create`.
   */
  update(
    path: string,
    content: Buffer,
    message: string,
    sha: string,
    branch?: string,
  ): Promise<FileCommit>;
  /** The newest commit that touched `path` on `branch`, if any. */
  lastCommit(path: string, branch?: string): Promise<FileCommit | undefined>;
}
