import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { advisoryView, forkView, type StoredAdvisory } from './github/advisory-view';
import { checkRequest, checkResponse } from './github/openapi-check';
import { RepositoryContents } from './github/repository-contents';

/*
 * A local stand-in for the part of GitHub's REST API that Embargo uses (repository security
 * advisories, and the contents API that commits the OSV record), for the real Octokit client to talk to. Both directions are checked against
 * GitHub's official OpenAPI description (the @octokit/openapi package; see
 * github/openapi-check.ts): every request (the operation, a token, query parameters, the JSON
 * body against the operation's request schema) and every response the stand-in gives (a status
 * the operation lists, the body against its response schema), injected failures included.
 * What does not pass is listed in `violations`, which every test expects to be empty; a request
 * that does not is also answered 422.
 */

type Json = Record<string, unknown>;
type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

export type { StoredAdvisory } from './github/advisory-view';

export interface RecordedRequest {
  method: string;
  path: string;
  /** `METHOD /path/{template}` as the description names it. */
  operation: string;
  query: Record<string, string>;
  body: Json | undefined;
  authorization: string | undefined;
  /** When the stand-in received it (Date.now()). */
  at: number;
}

export interface InjectedFailure {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
  /** Only for this operation (`METHOD /path/{template}`); other requests pass it by. */
  operation?: string;
  /** GitHub did the work, then answered with the failure (a 502 from a proxy after a create). */
  afterOperating?: boolean;
}

const DOCS = 'https://docs.github.com/rest/security-advisories/repository-advisories';
const BASE = '/repos/{owner}/{repo}/security-advisories';

export class GitHubApiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly advisories = new Map<string, StoredAdvisory>();
  /** The repository's files and the commits that added them (github/repository-contents.ts). */
  readonly contents: RepositoryContents;
  private readonly failures: InjectedFailure[] = [];
  private server: Server | undefined;
  private counter = 0;
  baseUrl = '';

  constructor(readonly repository = 'example/cryptolib') {
    this.contents = new RepositoryContents(repository, () => this.baseUrl);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req)
        .catch((err: unknown): Reply => {
          // A fault of the stand-in itself: the test fails on it rather than waiting.
          this.violations.push(`${req.method} ${req.url}: stand-in failed: ${String(err)}`);
          return { status: 500, body: { message: String(err) } };
        })
        .then(({ status, body, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body === undefined ? '' : JSON.stringify(body));
        });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /**
   * The next requests (one per entry; with `operation`, the next of that operation) fail as
   * given, after their check against the description.
   */
  failNext(...failures: InjectedFailure[]): void {
    this.failures.push(...failures);
  }

  /** What GitHub does once its CNA assigns the id a /cve request asked for. */
  assignCve(ghsaId: string, cveId: string): void {
    const advisory = this.advisories.get(ghsaId);
    if (!advisory) throw new Error(`no advisory ${ghsaId}`);
    advisory.cve_id = cveId;
  }

  /** GitHub's answer to a request its description refuses, as the description gives it. */
  private refused(problems: string[]): Reply {
    return {
      status: 422,
      body: {
        message: 'Validation Failed',
        documentation_url: DOCS,
        errors: problems.map((message) => ({ code: 'invalid', message })),
      },
    };
  }

  private async handle(req: IncomingMessage): Promise<Reply> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://x');
    let body: Json | undefined;
    try {
      body = text ? (JSON.parse(text) as Json) : undefined;
    } catch {
      this.violations.push(`${method} ${url.pathname}: body is not JSON`);
      return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } };
    }
    const authorization = req.headers.authorization;
    const { template, params, problems } = checkRequest(method, url, body, authorization);
    this.requests.push({
      method,
      path: url.pathname,
      operation: `${method} ${template ?? url.pathname}`,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization,
      at: Date.now(),
    });
    if (problems.length || !template) {
      this.violations.push(...problems.map((p) => `${method} ${url.pathname}: ${p}`));
      return this.refused(problems);
    }
    const reply = this.answer(method, template, params, url, body);
    const wrong = checkResponse(method, template, reply.status, reply.body);
    this.violations.push(...wrong.map((p) => `${method} ${template}: ${p}`));
    return reply;
  }

  private answer(
    method: string,
    template: string,
    params: Record<string, string>,
    url: URL,
    body: Json | undefined,
  ): Reply {
    const index = this.failures.findIndex(
      (f) => !f.operation || f.operation === `${method} ${template}`,
    );
    const [failure] = index >= 0 ? this.failures.splice(index, 1) : [];
    if (failure && !failure.afterOperating)
      return { status: failure.status, body: failure.body, headers: failure.headers };
    if (`${params.owner ?? ''}/${params.repo ?? ''}` !== this.repository) return this.notFound();
    const reply = this.operate(method, template, params, url, body ?? {});
    return failure
      ? { status: failure.status, body: failure.body, headers: failure.headers }
      : reply;
  }

  private notFound(): Reply {
    return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
  }

  private view(advisory: StoredAdvisory): Json {
    return advisoryView(advisory, this.repository, this.baseUrl);
  }

  /** GET …/security-advisories: newest first, filtered by state, in pages linked by cursor. */
  private list(url: URL): Reply {
    const state = url.searchParams.get('state');
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const after = url.searchParams.get('after');
    const all = [...this.advisories.values()].filter((a) => !state || a.state === state).reverse();
    const start = after ? all.findIndex((a) => a.ghsa_id === after) + 1 : 0;
    const page = all.slice(start, start + perPage);
    const more = start + perPage < all.length;
    const next = new URL(`${this.baseUrl}${url.pathname}${url.search}`);
    next.searchParams.set('after', page.at(-1)?.ghsa_id ?? '');
    return {
      status: 200,
      body: page.map((a) => this.view(a)),
      headers: more ? { link: `<${next.href}>; rel="next"` } : {},
    };
  }

  private operate(
    method: string,
    template: string,
    params: Record<string, string>,
    url: URL,
    body: Json,
  ): Reply {
    if (`${method} ${template}` === `GET ${BASE}`) return this.list(url);
    const repo = '/repos/{owner}/{repo}';
    if (`${method} ${template}` === `GET ${repo}/contents/{path}`)
      return this.contents.get(params.path!, url);
    if (`${method} ${template}` === `PUT ${repo}/contents/{path}`)
      return this.contents.put(params.path!, body);
    if (`${method} ${template}` === `GET ${repo}/commits`) return this.contents.list(url);
    const found = params.ghsa_id ? this.advisories.get(params.ghsa_id) : undefined;
    if (params.ghsa_id && !found) return this.notFound();
    const advisory = found!;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    switch (`${method} ${template}`) {
      case `POST ${BASE}`: {
        this.counter += 1;
        const ghsa_id = `GHSA-${String(this.counter).padStart(4, '0')}-test-embg`;
        const created: StoredAdvisory = {
          ...body,
          summary: String(body.summary),
          description: String(body.description),
          ghsa_id,
          html_url: `https://github.com/${this.repository}/security/advisories/${ghsa_id}`,
          state: 'draft',
          cve_id: null,
          created_at: now,
          updated_at: now,
          published_at: null,
          collaborating_users: [],
          private_fork: null,
        };
        this.advisories.set(ghsa_id, created);
        return { status: 201, body: this.view(created) };
      }
      case `GET ${BASE}/{ghsa_id}`:
        return { status: 200, body: this.view(advisory) };
      case `PATCH ${BASE}/{ghsa_id}`: {
        if (advisory.state === 'published' && body.state === 'draft') {
          return {
            status: 422,
            body: {
              message: 'Invalid state transition from `published` to `draft`.',
              documentation_url: DOCS,
            },
          };
        }
        const { collaborating_users: users, ...rest } = body;
        Object.assign(advisory, rest, { updated_at: now });
        if (rest.state === 'published' && !advisory.published_at) advisory.published_at = now;
        if (Array.isArray(users)) {
          advisory.collaborating_users = (users as string[]).map((login) => ({ login }));
        }
        return { status: 200, body: this.view(advisory) };
      }
      case `POST ${BASE}/{ghsa_id}/forks`: {
        const name = `${this.repository.split('/')[1]}-${advisory.ghsa_id.toLowerCase()}`;
        const owner = this.repository.split('/')[0]!;
        advisory.private_fork = {
          name,
          full_name: `${owner}/${name}`,
          html_url: `https://github.com/${owner}/${name}`,
        };
        return { status: 202, body: forkView(advisory.private_fork, this.baseUrl) };
      }
      case `POST ${BASE}/{ghsa_id}/cve`:
        return { status: 202, body: {} };
      default:
        return this.notFound();
    }
  }
}
