/**
 * Files of a repository through GitHub's REST contents API, with Octokit and its retry plugin
 * (reads are retried on server errors and 429s; writes are not: a PUT that GitHub answered
 * with a 502 may have made its commit). Errors become {@link GitHubRequestError}s carrying only
 * GitHub's status and message, never the token or the file.
 */
import type { Octokit } from '@octokit/rest';
import type {
  FileCommit,
  RepositoryFile,
  RepositoryFiles,
} from '../../github-advisory/repository-files';
import { GitHubRequestError } from '../../github-advisory/github-request-error';
import {
  retryingOctokitClient,
  type OctokitAdvisoriesOptions,
} from './octokit-repository-advisories';

export type OctokitFilesOptions = Omit<OctokitAdvisoriesOptions, 'pageSize'>;

interface ContentFile {
  type: string;
  sha: string;
  content?: string;
  encoding?: string;
  html_url: string | null;
}

export class OctokitRepositoryFiles implements RepositoryFiles {
  private client: Octokit | undefined;
  private readonly owner: string;
  private readonly repo: string;

  constructor(private readonly options: OctokitFilesOptions) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo) throw new RangeError(`not owner/name: ${options.repository}`);
    [this.owner, this.repo] = [owner, repo];
  }

  private async call<T>(operation: string, run: (client: Octokit) => Promise<T>): Promise<T> {
    try {
      this.client ??= await retryingOctokitClient(this.options);
      return await run(this.client);
    } catch (err) {
      throw GitHubRequestError.from(operation, err);
    }
  }

  get(path: string, branch?: string): Promise<RepositoryFile | undefined> {
    return this.call('read the OSV record in the repository', async (c) => {
      try {
        const { data } = await c.rest.repos.getContent({
          owner: this.owner,
          repo: this.repo,
          path,
          ...(branch ? { ref: branch } : {}),
        });
        const file = data as ContentFile;
        if (Array.isArray(data) || file.type !== 'file') {
          throw new GitHubRequestError(
            'read the OSV record in the repository',
            200,
            `${path} in ${this.owner}/${this.repo} is not a file.`,
            'Choose another `osv.folder` in embargo.config.json, or remove what is at that path.',
          );
        }
        return {
          sha: file.sha,
          content: Buffer.from(file.content ?? '', 'base64'),
          url: file.html_url ?? '',
        };
      } catch (err) {
        if ((err as { status?: unknown }).status === 404) return undefined;
        throw err;
      }
    });
  }

  create(path: string, content: Buffer, message: string, branch?: string): Promise<FileCommit> {
    // No `sha`: GitHub refuses (422) to replace a file that exists, so this only adds.
    return this.put('commit the OSV record', path, content, message, undefined, branch);
  }

  update(
    path: string,
    content: Buffer,
    message: string,
    sha: string,
    branch?: string,
  ): Promise<FileCommit> {
    // With the current blob's `sha`: GitHub refuses (409) if the file changed since it was read.
    return this.put('commit the changed OSV record', path, content, message, sha, branch);
  }

  private put(
    operation: string,
    path: string,
    content: Buffer,
    message: string,
    sha: string | undefined,
    branch: string | undefined,
  ): Promise<FileCommit> {
    return this.call(operation, async (c) => {
      const { data } = await c.rest.repos.createOrUpdateFileContents({
        owner: this.owner,
        repo: this.repo,
        path,
        message,
        content: content.toString('base64'),
        ...(sha ? { sha } : {}),
        ...(branch ? { branch } : {}),
        request: { retries: 0 },
      });
      return {
        sha: data.commit.sha ?? '',
        url: data.commit.html_url ?? '',
        ...(data.content?.html_url ? { fileUrl: data.content.html_url } : {}),
      };
    });
  }

  lastCommit(path: string, branch?: string): Promise<FileCommit | undefined> {
    return this.call('find the commit of the OSV record', async (c) => {
      const { data } = await c.rest.repos.listCommits({
        owner: this.owner,
        repo: this.repo,
        path,
        per_page: 1,
        ...(branch ? { sha: branch } : {}),
      });
      const [newest] = data;
      return newest ? { sha: newest.sha, url: newest.html_url } : undefined;
    });
  }
}
