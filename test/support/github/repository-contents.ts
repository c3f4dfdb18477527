import { createHash } from 'node:crypto';
import { openApiExample } from './openapi-check';

/*
 * The local GitHub stand-in's repository files (the contents API): files by branch and path,
 * each added by a commit, answered in the shapes of GitHub's `content-file`, `file-commit` and
 * `commit` (the parts Embargo never reads from the description's own examples). As GitHub
 * does, a PUT without `sha` for a file that exists is refused with a 422, and one whose `sha` is
 * not the file's current blob with a 409 (`<path> does not match <sha>`).
 */

type Json = Record<string, unknown>;
type Reply = { status: number; body?: unknown };

export interface StoredFile {
  branch: string;
  path: string;
  content: Buffer;
  /** The blob's SHA (git's: over "blob <size>\0<content>"). */
  sha: string;
  commit: { sha: string; message: string; at: string };
}

const DOCS = 'https://docs.github.com/rest/repos/contents';
export const DEFAULT_BRANCH = 'main';

function blobSha(content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest('hex');
}

export class RepositoryContents {
  /** Every file, by `branch:path`. */
  readonly files = new Map<string, StoredFile>();
  /** Every commit made through the API, oldest first. */
  readonly commits: StoredFile[] = [];

  constructor(
    private readonly repository: string,
    private readonly baseUrl: () => string,
  ) {}

  private urls(file: StoredFile): Json {
    const api = `${this.baseUrl()}/repos/${this.repository}`;
    const html = `https://github.com/${this.repository}/blob/${file.branch}/${file.path}`;
    const git = `${api}/git/blobs/${file.sha}`;
    const self = `${api}/contents/${file.path}?ref=${file.branch}`;
    return {
      url: self,
      html_url: html,
      git_url: git,
      download_url: `https://raw.githubusercontent.com/${this.repository}/${file.branch}/${file.path}`,
      _links: { self, git, html },
    };
  }

  private fileView(file: StoredFile): Json {
    return {
      type: 'file',
      encoding: 'base64',
      size: file.content.length,
      name: file.path.split('/').pop(),
      path: file.path,
      content: file.content.toString('base64'),
      sha: file.sha,
      ...this.urls(file),
    };
  }

  private commitUrl(sha: string): string {
    return `https://github.com/${this.repository}/commit/${sha}`;
  }

  get(path: string, url: URL): Reply {
    const branch = url.searchParams.get('ref') ?? DEFAULT_BRANCH;
    const file = this.files.get(`${branch}:${path}`);
    if (!file) return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    return { status: 200, body: this.fileView(file) };
  }

  put(path: string, body: Json): Reply {
    const branch = typeof body.branch === 'string' ? body.branch : DEFAULT_BRANCH;
    const key = `${branch}:${path}`;
    const existing = this.files.get(key);
    if (existing && body.sha === undefined)
      return {
        status: 422,
        body: { message: 'Invalid request.\n\n"sha" wasn\'t supplied.', documentation_url: DOCS },
      };
    // A stale or unknown `sha` is a conflict, named by path and sha (GitHub's 409).
    if (existing && body.sha !== existing.sha)
      return {
        status: 409,
        body: { message: `${path} does not match ${String(body.sha)}`, documentation_url: DOCS },
      };
    const content = Buffer.from(String(body.content), 'base64');
    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const message = String(body.message);
    const commitSha = createHash('sha1')
      .update(`${this.commits.length}\0${key}\0${message}`)
      .digest('hex');
    const file: StoredFile = {
      branch,
      path,
      content,
      sha: blobSha(content),
      commit: { sha: commitSha, message, at },
    };
    this.files.set(key, file);
    this.commits.push(file);
    const { content: _c, encoding: _e, ...contentView } = this.fileView(file);
    return {
      status: existing ? 200 : 201,
      body: {
        content: contentView,
        commit: {
          sha: commitSha,
          node_id: 'C_stand-in',
          url: `${this.baseUrl()}/repos/${this.repository}/git/commits/${commitSha}`,
          html_url: this.commitUrl(commitSha),
          author: { date: at, name: 'Embargo', email: 'security@example.org' },
          committer: { date: at, name: 'Embargo', email: 'security@example.org' },
          message,
          tree: { url: '', sha: '0'.repeat(40) },
          parents: [],
          verification: {
            verified: false,
            reason: 'unsigned',
            signature: null,
            payload: null,
            verified_at: null,
          },
        },
      },
    };
  }

  /** GET …/commits?path=&sha=: the commits that touched the path, newest first. */
  list(url: URL): Reply {
    const path = url.searchParams.get('path');
    const branch = url.searchParams.get('sha') ?? DEFAULT_BRANCH;
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const touching = this.commits
      .filter((c) => c.branch === branch && (!path || c.path === path))
      .reverse()
      .slice(0, perPage);
    const example = (openApiExample('commit-items') as unknown as Json[])[0]!;
    return {
      status: 200,
      body: touching.map((c) => ({
        ...example,
        sha: c.commit.sha,
        html_url: this.commitUrl(c.commit.sha),
        url: `${this.baseUrl()}/repos/${this.repository}/commits/${c.commit.sha}`,
        commit: { ...(example.commit as Json), message: c.commit.message },
      })),
    };
  }
}
