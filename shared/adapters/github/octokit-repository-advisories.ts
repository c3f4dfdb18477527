/**
 * Repository security advisories through GitHub's REST API, with Octokit (`@octokit/rest`) and
 * its retry plugin (server errors and 429s are retried with growing pauses; 4xx are not, nor is
 * the creation of a draft, which is not idempotent).
 * GitHub's errors become {@link GitHubRequestError}s carrying only the status and GitHub's own
 * message, so that neither the token nor the advisory text (both in Octokit's error object)
 * can reach a log.
 */
import type { Octokit } from '@octokit/rest';
import type {
  AdvisoryContent,
  AdvisoryState,
  DraftAdvisory,
  RepositoryAdvisories,
} from '../../github-advisory/repository-advisories';
import { GitHubRequestError } from '../../github-advisory/github-request-error';

export interface OctokitAdvisoriesOptions {
  /** "owner/name". */
  repository: string;
  /** https://api.github.com, or a GitHub Enterprise Server's `https://host/api/v3`. */
  apiBaseUrl: string;
  token: () => Promise<string>;
  /** Pause unit between retries, in ms (Octokit's default 1000; tests make it small). */
  retryBaseMs?: number;
  retries?: number;
  /** Advisories per page when listing (GitHub allows up to 100). */
  pageSize?: number;
}

type Client = Octokit;

/**
 * Octokit with its retry plugin, loaded on the first call to GitHub rather than when a Lambda
 * starts: its REST endpoint table alone is 82 KiB of every bundle, and most invocations never
 * call GitHub. (Bundled, its initialisation waits until this is first called.)
 */
let retryingOctokit:
  Promise<new (options: ConstructorParameters<typeof Octokit>[0]) => Client> | undefined;

function loadRetryingOctokit() {
  retryingOctokit ??= Promise.all([import('@octokit/rest'), import('@octokit/plugin-retry')]).then(
    ([{ Octokit }, { retry }]) => Octokit.plugin(retry),
  );
  return retryingOctokit;
}

interface AdvisoryResponse {
  ghsa_id: string;
  description: string | null;
  html_url: string;
  created_at: string;
  state: string;
  cve_id: string | null;
  collaborating_users: { login: string }[] | null;
  private_fork: { html_url: string } | null;
}

function stateOf(data: AdvisoryResponse): AdvisoryState {
  return {
    ghsaId: data.ghsa_id,
    url: data.html_url,
    state: data.state,
    ...(data.cve_id ? { cveId: data.cve_id } : {}),
    collaborators: (data.collaborating_users ?? []).map((u) => u.login),
    ...(data.private_fork?.html_url ? { privateForkUrl: data.private_fork.html_url } : {}),
  };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A client for the repository's API: the token read now, retries as the options say. */
export async function retryingOctokitClient(
  options: Pick<OctokitAdvisoriesOptions, 'apiBaseUrl' | 'token' | 'retryBaseMs' | 'retries'>,
): Promise<Client> {
  const RetryingOctokit = await loadRetryingOctokit();
  return new RetryingOctokit({
    auth: await options.token(),
    baseUrl: options.apiBaseUrl.replace(/\/+$/, ''),
    userAgent: 'embargo-security-inbox',
    log: silent,
    // `retry.retries`, not `request.retries`: the latter would retry 4xx answers as well.
    retry: {
      retries: options.retries ?? 3,
      retryAfterBaseValue: options.retryBaseMs ?? 1000,
    },
  });
}

export class OctokitRepositoryAdvisories implements RepositoryAdvisories {
  private client: Client | undefined;
  private readonly owner: string;
  private readonly repo: string;

  constructor(private readonly options: OctokitAdvisoriesOptions) {
    const [owner, repo] = options.repository.split('/');
    if (!owner || !repo) throw new RangeError(`not owner/name: ${options.repository}`);
    [this.owner, this.repo] = [owner, repo];
  }

  private async octokit(): Promise<Client> {
    this.client ??= await retryingOctokitClient(this.options);
    return this.client;
  }

  private async call<T>(operation: string, run: (client: Client) => Promise<T>): Promise<T> {
    try {
      return await run(await this.octokit());
    } catch (err) {
      throw GitHubRequestError.from(operation, err);
    }
  }

  private where() {
    return { owner: this.owner, repo: this.repo };
  }

  private advisory(ghsaId: string) {
    return { owner: this.owner, repo: this.repo, ghsa_id: ghsaId };
  }

  /**
   * Never retried here: a 502 may come after GitHub created the draft, and a blind second POST
   * makes a second draft. The service looks for the draft by its mark before posting again.
   */
  create(content: AdvisoryContent): Promise<AdvisoryState> {
    return this.call('create the draft advisory', async (c) => {
      const { data } = await c.rest.securityAdvisories.createRepositoryAdvisory({
        ...this.where(),
        ...content,
        // Per request, read by the retry plugin: no retry of this one.
        request: { retries: 0 },
      });
      return stateOf(data as AdvisoryResponse);
    });
  }

  update(ghsaId: string, content: AdvisoryContent): Promise<AdvisoryState> {
    return this.call('update the draft advisory', async (c) => {
      const { data } = await c.rest.securityAdvisories.updateRepositoryAdvisory({
        ...this.advisory(ghsaId),
        ...content,
      });
      return stateOf(data as AdvisoryResponse);
    });
  }

  get(ghsaId: string): Promise<AdvisoryState> {
    return this.call('read the advisory', async (c) => {
      const { data } = await c.rest.securityAdvisories.getRepositoryAdvisory(this.advisory(ghsaId));
      return stateOf(data as AdvisoryResponse);
    });
  }

  listDrafts(): Promise<DraftAdvisory[]> {
    return this.call('list the draft advisories', async (c) => {
      // Octokit follows GitHub's Link headers from page to page.
      const all = await c.paginate(c.rest.securityAdvisories.listRepositoryAdvisories, {
        ...this.where(),
        state: 'draft',
        per_page: this.options.pageSize ?? 100,
      });
      return (all as unknown as AdvisoryResponse[]).map((data) => ({
        ...stateOf(data),
        description: data.description ?? '',
        createdAt: data.created_at,
      }));
    });
  }

  publish(ghsaId: string, content: AdvisoryContent): Promise<AdvisoryState> {
    return this.call('publish the advisory', async (c) => {
      const { data } = await c.rest.securityAdvisories.updateRepositoryAdvisory({
        ...this.advisory(ghsaId),
        ...content,
        state: 'published',
      });
      return stateOf(data as AdvisoryResponse);
    });
  }

  createPrivateFork(ghsaId: string): Promise<string> {
    return this.call('create the private fork', async (c) => {
      const { data } = await c.rest.securityAdvisories.createFork(this.advisory(ghsaId));
      return data.html_url;
    });
  }

  setCollaborators(ghsaId: string, logins: string[]): Promise<AdvisoryState> {
    return this.call('add the collaborator', async (c) => {
      const { data } = await c.rest.securityAdvisories.updateRepositoryAdvisory({
        ...this.advisory(ghsaId),
        collaborating_users: logins,
      });
      return stateOf(data as AdvisoryResponse);
    });
  }

  requestCve(ghsaId: string): Promise<void> {
    return this.call('request a CVE id', async (c) => {
      await c.rest.securityAdvisories.createRepositoryAdvisoryCveRequest(this.advisory(ghsaId));
    });
  }
}
