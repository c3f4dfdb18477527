import { OctokitRepositoryAdvisories } from '../../shared/adapters/github/octokit-repository-advisories';
import { toAdvisoryContent } from '../../shared/github-advisory/advisory-mapping';
import { GitHubRequestError } from '../../shared/github-advisory/github-request-error';
import { parseCvssVector } from '../../shared/advisories/cvss-vector';
import type { CaseRecord } from '../../shared/cases/case-record';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import { GitHubApiStandIn } from '../support/github-api';

const TOKEN = 'github_pat_test_0123456789';
const config: EmbargoConfig = {
  ...defaultConfigFile,
  project: 'cryptolib',
  ecosystem: 'PyPI',
  supportedReleases: ['2.4', '2.3'],
};
const cvss = parseCvssVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
const record = {
  id: 'SEC-2026-0001',
  status: 'triaged',
  title: 'Heap overflow in the header parser',
  advisory: 'SECRET-ADVISORY-TEXT: parse_header() overflows.',
  affected: '>=2.0, <2.4.1',
  fixed: '2.4.1, 2.3.9',
  cvss: cvss.ok ? cvss.cvss : undefined,
  cwes: ['CWE-787'],
  credits: [{ name: 'Alice', type: 'reporter', github: 'alice-example' }],
  history: [],
} as unknown as CaseRecord;

let github: GitHubApiStandIn;
const client = (repository = 'example/cryptolib') =>
  new OctokitRepositoryAdvisories({
    repository,
    apiBaseUrl: github.baseUrl,
    token: async () => TOKEN,
    retryBaseMs: 1,
  });

beforeEach(async () => {
  github = await new GitHubApiStandIn().start();
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

async function failure(run: () => Promise<unknown>): Promise<GitHubRequestError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(GitHubRequestError);
    const error = err as GitHubRequestError;
    // Neither the token nor the advisory text travels in the error.
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(TOKEN);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('SECRET-ADVISORY-TEXT');
    return error;
  }
  throw new Error('expected a failure');
}

describe('GitHub repository security advisories through Octokit', () => {
  it('creates, updates, reads and publishes a draft, each request as the OpenAPI description says', async () => {
    const advisories = client();
    const created = await advisories.create(toAdvisoryContent(record, config));
    expect(created).toMatchObject({ state: 'draft', collaborators: [] });
    expect(created.url).toBe(
      `https://github.com/example/cryptolib/security/advisories/${created.ghsaId}`,
    );
    const stored = github.advisories.get(created.ghsaId)!;
    expect(stored.vulnerabilities).toEqual([
      {
        package: { ecosystem: 'pip', name: 'cryptolib' },
        vulnerable_version_range: '>= 2.0, < 2.3.9',
        patched_versions: '2.3.9',
      },
      {
        package: { ecosystem: 'pip', name: 'cryptolib' },
        vulnerable_version_range: '>= 2.4.0, < 2.4.1',
        patched_versions: '2.4.1',
      },
    ]);
    expect(stored.cvss_vector_string).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
    expect(stored.credits).toEqual([{ login: 'alice-example', type: 'reporter' }]);

    await advisories.update(created.ghsaId, toAdvisoryContent({ ...record, title: 'New' }, config));
    expect(github.advisories.get(created.ghsaId)!.summary).toBe('New');
    expect((await advisories.get(created.ghsaId)).state).toBe('draft');
    const final = toAdvisoryContent({ ...record, title: 'Final' }, config);
    expect((await advisories.publish(created.ghsaId, final)).state).toBe('published');
    // One request publishes the final content.
    expect(github.advisories.get(created.ghsaId)).toMatchObject({
      state: 'published',
      summary: 'Final',
    });
    expect(github.requests.map((r) => r.operation)).toEqual([
      'POST /repos/{owner}/{repo}/security-advisories',
      'PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}',
      'GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}',
      'PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}',
    ]);
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
  });

  it('creates the private fork, sets collaborators and requests a CVE id', async () => {
    const advisories = client();
    const { ghsaId } = await advisories.create(toAdvisoryContent(record, config));
    const fork = await advisories.createPrivateFork(ghsaId);
    expect(fork).toContain('https://github.com/example/cryptolib-ghsa-');
    expect((await advisories.setCollaborators(ghsaId, ['alice-example'])).collaborators).toEqual([
      'alice-example',
    ]);
    await advisories.requestCve(ghsaId);
    github.assignCve(ghsaId, 'CVE-2026-4242');
    expect(await advisories.get(ghsaId)).toMatchObject({
      cveId: 'CVE-2026-4242',
      privateForkUrl: fork,
    });
  });

  it('lists every draft of the repository, following the pages GitHub links', async () => {
    const advisories = new OctokitRepositoryAdvisories({
      repository: 'example/cryptolib',
      apiBaseUrl: github.baseUrl,
      token: async () => TOKEN,
      retryBaseMs: 1,
      pageSize: 2,
    });
    const made: string[] = [];
    for (const title of ['one', 'two', 'three', 'four', 'five']) {
      made.push((await advisories.create(toAdvisoryContent({ ...record, title }, config))).ghsaId);
    }
    await advisories.publish(made[1]!, toAdvisoryContent(record, config));
    const drafts = await advisories.listDrafts();
    expect(drafts.map((d) => d.ghsaId)).toEqual([made[4], made[3], made[2], made[0]]);
    expect(drafts[0]!.description).toBe(record.advisory);
    const lists = github.requests.filter((r) => r.method === 'GET');
    expect(lists.map((r) => r.query)).toEqual([
      { state: 'draft', per_page: '2' },
      { state: 'draft', per_page: '2', after: made[3] },
    ]);
  });

  it('retries server errors and succeeds when GitHub recovers', async () => {
    const { ghsaId } = await client().create(toAdvisoryContent(record, config));
    github.failNext({ status: 502, body: { message: 'Bad gateway' } });
    await client().update(ghsaId, toAdvisoryContent(record, config));
    expect(github.requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
  });

  it('never retries the creation of a draft (issue 25: a 502 after GitHub created it made two)', async () => {
    github.failNext({ status: 502, body: { message: 'Bad gateway' }, afterOperating: true });
    const error = await failure(() => client().create(toAdvisoryContent(record, config)));
    expect(error.status).toBe(502);
    expect(github.requests).toHaveLength(1);
    expect(github.advisories.size).toBe(1);
  });

  it.each([
    [401, { message: 'Bad credentials' }, {}, /refused the token \(401/, /EMBARGO_GITHUB_TOKEN/],
    [
      403,
      { message: 'Resource not accessible by personal access token' },
      {},
      /403 Forbidden/,
      /Repository security advisories: Read and write/,
    ],
    [
      422,
      {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest',
        errors: [{ code: 'custom', field: 'credits', message: 'Credits login is not a user' }],
      },
      {},
      /Credits login is not a user/,
      /resend/,
    ],
    [
      403,
      { message: 'API rate limit exceeded' },
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1796000000' },
      /rate limit is used up until 2026-/,
      /after that time/,
    ],
  ])(
    'says in words what a %i means and what to do',
    async (status, body, headers, problem, action) => {
      github.failNext({ status, body, headers });
      const error = await failure(() => client().create(toAdvisoryContent(record, config)));
      expect(error.status).toBe(status);
      expect(error.problem).toMatch(problem);
      expect(error.action).toMatch(action);
      expect(github.requests).toHaveLength(1);
    },
  );

  it('gives up on a server error that persists after three retries, and says so', async () => {
    const down = { status: 503, body: { message: 'Service Unavailable' } };
    github.failNext(down, down, down, down);
    const error = await failure(() => client().get('GHSA-0001-test-embg'));
    expect(error.problem).toMatch(/server error \(503\) and still had it after retries/);
    expect(github.requests).toHaveLength(4);
  });

  it('names the repository setting on a 404', async () => {
    const error = await failure(() =>
      client('example/other').create(toAdvisoryContent(record, config)),
    );
    expect(error.action).toMatch(/github\.repository/);
  });

  it('says when GitHub cannot be reached at all', async () => {
    const unreachable = new OctokitRepositoryAdvisories({
      repository: 'example/cryptolib',
      apiBaseUrl: 'http://127.0.0.1:1',
      token: async () => TOKEN,
      retryBaseMs: 1,
    });
    const error = await failure(() => unreachable.get('GHSA-xxxx-xxxx-xxxx'));
    expect(error.problem).toMatch(/could not be reached/);
  });
});

describe('the OpenAPI check of the stand-in', () => {
  it('refuses a request the description does not allow', async () => {
    const response = await fetch(`${github.baseUrl}/repos/example/cryptolib/security-advisories`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ summary: 'x', severity: 'urgent', vulnerabilities: [] }),
    });
    expect(response.status).toBe(422);
    expect(github.violations.join('\n')).toMatch(/required property 'description'/);
    expect(github.violations.join('\n')).toMatch(
      /body\/severity must be equal to one of the allowed values/,
    );
    github.violations.length = 0;
  });

  it('checks its own answers too: a body GitHub would not give is a violation', async () => {
    // GitHub's description has a 422 carry documentation_url and errors as objects.
    github.failNext({ status: 422, body: { message: 'Validation Failed', errors: ['bad'] } });
    await failure(() => client().create(toAdvisoryContent(record, config)));
    expect(github.violations).toEqual([
      expect.stringMatching(/response 422 must have required property 'documentation_url'/),
      expect.stringMatching(/response 422\/errors\/0 must be object/),
    ]);
    // A status the operation does not list, other than GitHub's generic errors, is one too.
    github.violations.length = 0;
    github.failNext({ status: 204 });
    await client()
      .create(toAdvisoryContent(record, config))
      .catch(() => undefined);
    expect(github.violations).toEqual([
      expect.stringMatching(/response 204 is not a status the operation gives/),
    ]);
    github.violations.length = 0;
  });

  it('answers every operation Embargo uses as the description says', async () => {
    const advisories = client();
    const { ghsaId } = await advisories.create(toAdvisoryContent(record, config));
    await advisories.createPrivateFork(ghsaId);
    await advisories.setCollaborators(ghsaId, ['alice-example']);
    await advisories.requestCve(ghsaId);
    github.assignCve(ghsaId, 'CVE-2026-4242');
    await advisories.get(ghsaId);
    await advisories.listDrafts();
    await advisories.publish(ghsaId, toAdvisoryContent(record, config));
    // Each answer was checked against the response schema of its operation and status.
    expect(github.requests).toHaveLength(7);
    expect(github.violations).toEqual([]);
  });
});
