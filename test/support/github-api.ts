import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';

/*
 * A local stand-in for the part of GitHub's REST API that Embargo uses (repository security
 * advisories), for the real Octokit client to talk to. Every request is checked against GitHub's
 * official OpenAPI description (the @octokit/openapi package): the path and method must be an
 * operation there, the JSON body must validate against the operation's request schema (required
 * fields, types, enums, no unknown fields), and it must carry a token. What does not is answered
 * 422 and listed in `violations`, which every test expects to be empty.
 */

type Json = Record<string, unknown>;
interface Operation {
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
}

const SPEC_FILE = require.resolve('@octokit/openapi/generated/api.github.com.json');
let spec: { paths: Record<string, Record<string, Operation>>; components: Json } | undefined;
let ajv: Ajv | undefined;

function openApi() {
  spec ??= JSON.parse(readFileSync(SPEC_FILE, 'utf8'));
  if (!ajv) {
    // OpenAPI 3.0 schemas: `nullable` is a keyword ajv knows; `example`, `x-github` are notes.
    ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    ajv.addSchema({ $id: 'github', components: spec!.components }, 'github');
  }
  return { spec: spec!, ajv };
}

/** Rewrites the description's local refs (#/components/...) to the schema registered above. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(
      Object.entries(schema).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' ? `github${v}` : rebase(v),
      ]),
    );
  }
  return schema;
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)]));
}

export interface RecordedRequest {
  method: string;
  path: string;
  operation: string;
  body: Json | undefined;
  authorization: string | undefined;
}

export interface InjectedFailure {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

interface StoredAdvisory extends Json {
  ghsa_id: string;
  state: string;
  collaborating_users: { login: string }[];
}

export class GitHubApiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly advisories = new Map<string, StoredAdvisory>();
  private readonly failures: InjectedFailure[] = [];
  private server: Server | undefined;
  private counter = 0;
  baseUrl = '';

  constructor(readonly repository = 'example/cryptolib') {}

  async start(): Promise<this> {
    openApi();
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
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

  /** The next requests (one per entry) fail as given, after their check against the description. */
  failNext(...failures: InjectedFailure[]): void {
    this.failures.push(...failures);
  }

  /** What GitHub does once its CNA assigns the id a /cve request asked for. */
  assignCve(ghsaId: string, cveId: string): void {
    const advisory = this.advisories.get(ghsaId);
    if (!advisory) throw new Error(`no advisory ${ghsaId}`);
    advisory.cve_id = cveId;
  }

  private check(method: string, path: string, body: unknown, auth: string | undefined) {
    const { spec, ajv } = openApi();
    for (const [template, operations] of Object.entries(spec.paths)) {
      const params = matchPath(template, path);
      const operation = operations[method.toLowerCase()];
      if (!params || !operation) continue;
      const problems: string[] = [];
      if (!auth || !/^(token|bearer) \S+$/i.test(auth)) problems.push('no token');
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (schema) {
        if (body === undefined && operation.requestBody?.required) problems.push('no body');
        else if (body !== undefined) {
          const validate = ajv.compile(rebase(schema) as Json);
          if (!validate(body)) {
            for (const e of validate.errors ?? [])
              problems.push(`body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
          }
        }
      }
      return { template, params, problems };
    }
    return {
      template: undefined,
      params: {} as Record<string, string>,
      problems: [`no operation ${method} ${path}`],
    };
  }

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Json | undefined;
    try {
      body = text ? (JSON.parse(text) as Json) : undefined;
    } catch {
      this.violations.push(`${req.method} ${req.url}: body is not JSON`);
      return { status: 400, body: { message: 'Problems parsing JSON' } };
    }
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const authorization = req.headers.authorization;
    const { template, params, problems } = this.check(method, path, body, authorization);
    this.requests.push({
      method,
      path,
      operation: `${method} ${template ?? path}`,
      body,
      authorization,
    });
    if (problems.length) {
      this.violations.push(...problems.map((p) => `${method} ${path}: ${p}`));
      return { status: 422, body: { message: 'Validation Failed', errors: problems } };
    }
    const failure = this.failures.shift();
    if (failure) return { status: failure.status, body: failure.body, headers: failure.headers };
    if (`${params.owner ?? ''}/${params.repo ?? ''}` !== this.repository) {
      return { status: 404, body: { message: 'Not Found' } };
    }
    return this.operate(method, template!, params, body ?? {});
  }

  private view(advisory: StoredAdvisory): Json {
    return {
      ...advisory,
      url: `${this.baseUrl}/repos/${this.repository}/security-advisories/${advisory.ghsa_id}`,
    };
  }

  private operate(method: string, template: string, params: Record<string, string>, body: Json) {
    const base = '/repos/{owner}/{repo}/security-advisories';
    const found = params.ghsa_id ? this.advisories.get(params.ghsa_id) : undefined;
    if (params.ghsa_id && !found) return { status: 404, body: { message: 'Not Found' } };
    const advisory = found!;
    switch (`${method} ${template}`) {
      case `POST ${base}`: {
        this.counter += 1;
        const ghsa_id = `GHSA-${String(this.counter).padStart(4, '0')}-test-embg`;
        const created: StoredAdvisory = {
          ...body,
          ghsa_id,
          html_url: `https://github.com/${this.repository}/security/advisories/${ghsa_id}`,
          state: 'draft',
          cve_id: null,
          collaborating_users: [],
          private_fork: null,
        };
        this.advisories.set(ghsa_id, created);
        return { status: 201, body: this.view(created) };
      }
      case `GET ${base}/{ghsa_id}`:
        return { status: 200, body: this.view(advisory) };
      case `PATCH ${base}/{ghsa_id}`: {
        const { collaborating_users: users, ...rest } = body;
        Object.assign(advisory, rest);
        if (Array.isArray(users)) {
          advisory.collaborating_users = (users as string[]).map((login) => ({ login }));
        }
        return { status: 200, body: this.view(advisory) };
      }
      case `POST ${base}/{ghsa_id}/forks`: {
        const fork = {
          full_name: `${this.repository}-${advisory.ghsa_id}`,
          html_url: `https://github.com/${this.repository}-${advisory.ghsa_id.toLowerCase()}`,
        };
        advisory.private_fork = fork;
        return { status: 202, body: fork };
      }
      case `POST ${base}/{ghsa_id}/cve`:
        return { status: 202, body: {} };
      default:
        return { status: 501, body: { message: `not implemented here: ${method} ${template}` } };
    }
  }
}
