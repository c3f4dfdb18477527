import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { parseCvssVector } from '../../shared/advisories/cvss-vector';
import { caseRecord } from '../support/case-builder';
import { GitHubApiStandIn } from '../support/github-api';
import { resolvedMaintainer } from '../support/local-project';
import { memoryLogger, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const TOKEN = 'github_pat_service_test_secret';
const DAY = 86_400_000;

describe('the GitHub advisory of a case', () => {
  let stores: Stores;
  let github: GitHubApiStandIn;
  let services: EmbargoServices;
  let log: ReturnType<typeof memoryLogger>;
  let n = 0;

  beforeEach(async () => {
    stores = await startStores();
    github = await new GitHubApiStandIn().start();
    log = memoryLogger();
    services = stores.services({
      log,
      config: {
        ...testConfig,
        project: 'cryptolib',
        ecosystem: 'npm',
        supportedReleases: ['2.4', '2.3'],
        maintainers: [resolvedMaintainer('mia')],
        github: { repository: 'example/cryptolib', apiBaseUrl: github.baseUrl },
      },
      githubToken: { token: async () => TOKEN },
    });
  });
  afterEach(async () => {
    await github.stop();
    await stores.stop();
    expect(github.violations).toEqual([]);
    // Neither the token nor the advisory text is ever logged.
    const logged = JSON.stringify(log.lines);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain('TOP-SECRET-DETAILS');
  });

  async function newCase(fields: Partial<CaseRecord> = {}): Promise<CaseRecord> {
    n += 1;
    const id = `SEC-2026-${String(n).padStart(4, '0')}` as CaseId;
    const cvss = parseCvssVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    const { record } = await services.cases.createIfAbsent(
      caseRecord(id, {
        title: 'Heap overflow',
        advisory: 'TOP-SECRET-DETAILS of the overflow.',
        fixed: '2.4.1, 2.3.9',
        ...(cvss.ok ? { cvss: cvss.cvss, severity: 'critical' } : {}),
        ...fields,
      }),
    );
    return record;
  }

  const mailsToMia = async () =>
    (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === 'mia@example.org');

  it('sends nothing to GitHub before /ghsa, then creates the draft once and records it', async () => {
    const github_ = services.github!;
    let record = await newCase();
    // Commands other than /ghsa on a case without a draft: nothing goes to GitHub.
    record = await github_.afterCommands(record, [], 'm0');
    expect(github.requests).toEqual([]);

    record = await github_.afterCommands(record, [{ kind: 'sync' }], 'm1');
    expect(github.requests.map((r) => r.operation)).toEqual([
      'POST /repos/{owner}/{repo}/security-advisories',
    ]);
    const [ghsaId] = [...github.advisories.keys()];
    expect(record.ghsa).toMatchObject({ ghsaId, url: expect.stringContaining(ghsaId!) });
    expect(record.history.at(-1)).toMatchObject({ type: 'github-advisory' });
    expect(await mailsToMia()).toHaveLength(1);

    // The same mail again (a retried delivery) repeats nothing.
    record = await github_.afterCommands(record, [{ kind: 'sync' }], 'm1');
    expect(github.requests).toHaveLength(1);

    // A later change to a mapped field updates the draft; an unchanged case sends nothing.
    record = await services.cases.update(record, () => ({
      fields: { title: 'Heap overflow in parse_header' },
      events: [],
    }));
    record = await github_.afterCommands(record, [], 'm2');
    expect(github.advisories.get(ghsaId!)!.summary).toBe('Heap overflow in parse_header');
    await github_.afterCommands(record, [], 'm3');
    expect(github.requests).toHaveLength(2);
  });

  it('forks, invites, requests a CVE id, and the watch records the id GitHub assigns', async () => {
    let record = await newCase();
    record = await services.github!.afterCommands(
      record,
      [
        { kind: 'sync' },
        { kind: 'fork' },
        { kind: 'invite', login: 'alice-example' },
        { kind: 'cve-request' },
      ],
      'm1',
    );
    const ghsaId = record.ghsa!.ghsaId;
    expect(record.ghsa).toMatchObject({
      privateForkUrl: expect.stringContaining('https://github.com/example/cryptolib-'),
      collaborators: ['alice-example'],
      cveRequestedAt: expect.any(String),
    });
    await services.watch.run();
    expect((await services.cases.get(record.id))!.cve).toBeUndefined();
    github.assignCve(ghsaId, 'CVE-2026-5555');
    await services.watch.run();
    await services.watch.run();
    const after = (await services.cases.get(record.id))!;
    expect(after.cve).toBe('CVE-2026-5555');
    expect(after.history.filter((e) => e.summary.includes('assigned CVE-2026-5555'))).toHaveLength(
      1,
    );
  });

  it('records a GitHub failure on the case and tells the maintainers, without repeating the mail', async () => {
    let record = await newCase();
    github.failNext({
      status: 422,
      body: {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest',
        errors: [
          {
            code: 'invalid',
            field: 'cvss_vector_string',
            message: 'cvss_vector_string is invalid',
          },
        ],
      },
    });
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm1');
    expect(record.ghsa).toBeUndefined();
    expect(record.history.at(-1)?.summary).toContain('cvss_vector_string is invalid');
    expect(await mailsToMia()).toHaveLength(1);
    // The retried delivery tries GitHub again, and succeeds.
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm1');
    expect(record.ghsa?.ghsaId).toMatch(/^GHSA-/);
    // A fork asked for before any draft exists is refused in words, not sent.
    const other = await services.github!.afterCommands(await newCase(), [{ kind: 'fork' }], 'm9');
    expect(other.history.at(-1)?.summary).toContain('has no GitHub advisory yet');
  });

  it('publishes on disclosure day after the public notice, exactly once, retrying a server error', async () => {
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    let record = await newCase({ disclosureAt, advanceNoticesSent: [disclosureAt] });
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm1');
    const ghsaId = record.ghsa!.ghsaId;
    github.failNext({ status: 502, body: { message: 'Bad gateway' } });
    const fire = () =>
      services.notices.fire({ caseId: record.id, kind: 'disclosure', disclosureAt });
    await fire();
    await fire();
    expect(github.advisories.get(ghsaId)!.state).toBe('published');
    // The advisory is read first (the 502, then the retry that succeeded), then published once.
    const onDay = github.requests.slice(1).map((r) => `${r.method} ${String(r.body?.state)}`);
    expect(onDay).toEqual(['GET undefined', 'GET undefined', 'PATCH published']);
    const after = (await services.cases.get(record.id))!;
    expect(after.ghsa?.publishedAt).toBeDefined();
    const order = after.history.map((e) => e.type);
    expect(order.indexOf('disclosure-notice')).toBeLessThan(order.lastIndexOf('github-advisory'));
  });

  it('tells the maintainers when publishing fails for good', async () => {
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    let record = await newCase({ disclosureAt, advanceNoticesSent: [disclosureAt] });
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm1');
    github.failNext({ status: 403, body: { message: 'Resource not accessible by integration' } });
    await services.notices.fire({ caseId: record.id, kind: 'disclosure', disclosureAt });
    const after = (await services.cases.get(record.id))!;
    expect(after.ghsa?.publishedAt).toBeUndefined();
    expect(after.ghsa?.problem?.text).toContain('Repository security advisories: Read and write');
    expect(after.history.at(-1)?.summary).toContain('GitHub publish failed');
  });
});
