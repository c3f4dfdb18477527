import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord, CaseUpdate } from '../../shared/cases/case-record';
import type { CaseRepository, ReceivedRange } from '../../shared/cases/case-repository';
import {
  caseMarker,
  isMarkedFor,
  markedContent,
  newMarkKey,
} from '../../shared/github-advisory/advisory-marker';
import type { GhsaService } from '../../shared/github-advisory/ghsa-service';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { githubAdvisoryService } from '../../shared/wiring/github-services';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { GitHubApiStandIn } from '../support/github-api';
import { resolvedMaintainer } from '../support/local-project';
import { memoryLogger, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const TOKEN = 'github_pat_retry_test_secret';
const DAY = 86_400_000;

/**
 * The one fault no emulator produces on cue: the process stops after GitHub answered and
 * before the case recorded the answer. The repository underneath is the real one (dynalite);
 * only the write that would record the advisory on the case is made to fail, once.
 */
class StopsBeforeRecording implements CaseRepository {
  stops = 0;
  constructor(
    private readonly inner: CaseRepository,
    private readonly records: (change: CaseUpdate) => boolean,
  ) {}
  nextSequence = (year: number) => this.inner.nextSequence(year);
  createIfAbsent = (record: CaseRecord) => this.inner.createIfAbsent(record);
  get = (id: CaseId) => this.inner.get(id);
  list = () => this.inner.list();
  listCompared = () => this.inner.listCompared();
  listReceived = (range: ReceivedRange) => this.inner.listReceived(range);
  listAwaitingCve = () => this.inner.listAwaitingCve();
  update(target: CaseId | CaseRecord, decide: (c: CaseRecord) => CaseUpdate | undefined) {
    return this.inner.update(target, (current) => {
      const change = decide(current);
      if (change && this.stops === 0 && this.records(change)) {
        this.stops += 1;
        throw new Error('the function stopped here (timeout, out of memory, host lost)');
      }
      return change;
    });
  }
}

describe('retrying GitHub work after a stop between GitHub and the case', () => {
  let stores: Stores;
  let github: GitHubApiStandIn;
  let services: EmbargoServices;
  let config: EmbargoConfig;
  let n = 0;

  beforeEach(async () => {
    stores = await startStores();
    github = await new GitHubApiStandIn().start();
    config = {
      ...testConfig,
      project: 'cryptolib',
      ecosystem: 'npm',
      maintainers: [resolvedMaintainer('mia')],
      github: { repository: 'example/cryptolib', apiBaseUrl: github.baseUrl },
    };
    services = stores.services({ config, githubToken: { token: async () => TOKEN } });
  });
  afterEach(async () => {
    await github.stop();
    await stores.stop();
    expect(github.violations).toEqual([]);
  });

  async function newCase(fields: Partial<CaseRecord> = {}): Promise<CaseRecord> {
    n += 1;
    const id = `SEC-2026-${String(n).padStart(4, '0')}` as CaseId;
    const { record } = await services.cases.createIfAbsent(
      caseRecord(id, { title: 'Heap overflow', advisory: 'The parser overflows.', ...fields }),
    );
    return record;
  }

  /** The GitHub service over the real stores, with the stop injected where `records` says. */
  function stoppingService(records: (change: CaseUpdate) => boolean) {
    const cases = new StopsBeforeRecording(services.cases, records);
    const service = githubAdvisoryService(
      { config, cases, mailer: services.mailer, clock: services.clock, log: memoryLogger() },
      { token: async () => TOKEN },
      { retryBaseMs: 1 },
    ) as GhsaService;
    return { service, cases };
  }
  const recordsAdvisory = (change: CaseUpdate) => change.fields?.ghsa !== undefined;
  const recordsPublication = (change: CaseUpdate) =>
    (change.fields?.ghsa as { publishedAt?: string } | undefined)?.publishedAt !== undefined;

  const mailsToMia = async () =>
    (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === 'mia@example.org');

  it('adopts the draft the stopped attempt created instead of creating a second', async () => {
    const other = await newCase({ title: 'Another case' });
    await services.github!.afterCommands(other, [{ kind: 'sync' }], 'o1');
    let record = await newCase();
    const { service, cases } = stoppingService(recordsAdvisory);

    await expect(service.afterCommands(record, [{ kind: 'sync' }], 'm1')).rejects.toThrow(
      /function stopped/,
    );
    expect(cases.stops).toBe(1);
    expect(github.advisories.size).toBe(2); // GitHub made the draft; the case does not know it
    record = (await services.cases.get(record.id))!;
    expect(record.ghsa).toBeUndefined();
    expect(record.history.at(-1)?.summary).toMatch(/^Creating the GitHub draft advisory/);

    // The delivery is retried (Lambda retries the failed invocation, or the mail comes again).
    github.requests.length = 0;
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm1');
    expect(github.advisories.size).toBe(2);
    expect(github.requests.map((r) => `${r.operation} ${JSON.stringify(r.query)}`)).toEqual([
      'GET /repos/{owner}/{repo}/security-advisories {"state":"draft","per_page":"100"}',
      'PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id} {}',
    ]);
    const mine = [...github.advisories.values()].find((a) => a.summary === 'Heap overflow')!;
    expect(record.ghsa).toMatchObject({ ghsaId: mine.ghsa_id, url: mine.html_url });
    expect(mine.description).toBe(
      `The parser overflows.\n\n${caseMarker(record.id, record.ghsaMarkKey!)}`,
    );
    expect(record.history.at(-1)?.summary).toContain('found on GitHub');
    // The other case's draft was not taken.
    expect((await services.cases.get(other.id))!.ghsa!.ghsaId).not.toBe(mine.ghsa_id);
    // One confirmation per case, with the URL, to the maintainers.
    expect(await mailsToMia()).toHaveLength(2);
  });

  it('creates the draft when the stopped attempt never reached GitHub', async () => {
    let record = await newCase();
    // Down through the first attempt and its retries: GitHub never saw the draft. (The create is
    // tried three times, looking for the draft by its mark between tries.)
    const down = {
      status: 503,
      body: { message: 'Service Unavailable' },
      operation: 'POST /repos/{owner}/{repo}/security-advisories',
    };
    github.failNext(down, down, down);
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm1');
    expect(github.advisories.size).toBe(0);
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm2');
    expect(github.advisories.size).toBe(1);
    expect(record.ghsa?.ghsaId).toBe([...github.advisories.keys()][0]);
  });

  it('publishes once: a run after a stop that followed the publication records it', async () => {
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    let record = await newCase({ disclosureAt, advanceNoticesSent: [disclosureAt] });
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm1');
    const ghsaId = record.ghsa!.ghsaId;
    const { service } = stoppingService(recordsPublication);

    await expect(service.publish(record)).rejects.toThrow(/function stopped/);
    expect(github.advisories.get(ghsaId)!.state).toBe('published');
    // The published advisory carries the case's text, not the draft's mark.
    expect(github.advisories.get(ghsaId)!.description).toBe('The parser overflows.');

    github.requests.length = 0;
    record = await services.github!.publish((await services.cases.get(record.id))!);
    expect(record.ghsa?.publishedAt).toBeDefined();
    expect(github.requests.map((r) => r.operation)).toEqual([
      'GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}',
    ]);
    // And a further run sends nothing at all.
    await services.github!.publish(record);
    expect(github.requests).toHaveLength(1);
  });

  const CREATE = 'POST /repos/{owner}/{repo}/security-advisories';
  const badGateway = { status: 502, body: { message: 'Bad Gateway' }, operation: CREATE };

  it('does not adopt a draft an outsider marked for the next case (issue 25: ids are sequential, the mark was the id)', async () => {
    // The outsider is a collaborator on case A's draft and writes the next case's mark into it.
    const a = await services.github!.afterCommands(
      await newCase({ title: 'Case A' }),
      [{ kind: 'sync' }],
      'a1',
    );
    let b = await newCase({ title: 'Case B', advisory: 'B: the embargoed details.' });
    const draftA = github.advisories.get(a.ghsa!.ghsaId)!;
    draftA.description = `Looks fine.\n\n<!-- embargo-case: ${b.id} -->`;
    const forged = draftA.description;

    // B's /ghsa meets 502s until its first delivery gives up; the mail is then resent.
    github.failNext(badGateway, badGateway, badGateway, badGateway);
    b = await services.github!.afterCommands(b, [{ kind: 'sync' }], 'b1');
    b = await services.github!.afterCommands(
      (await services.cases.get(b.id))!,
      [{ kind: 'sync' }],
      'b2',
    );
    expect(b.ghsa?.ghsaId).toBeDefined();
    expect(b.ghsa!.ghsaId).not.toBe(a.ghsa!.ghsaId);
    // A's draft, which the outsider reads, never received B's text.
    expect(github.advisories.get(a.ghsa!.ghsaId)!.description).toBe(forged);
    expect(github.advisories.get(b.ghsa!.ghsaId)!.description).toContain('B: the embargoed');
  });

  it('does not adopt a draft GitHub created before the case first meant to create one, even with its mark', async () => {
    const a = await services.github!.afterCommands(
      await newCase({ title: 'Case A' }),
      [{ kind: 'sync' }],
      'a1',
    );
    let b = await newCase({ title: 'Case B' });
    github.failNext(badGateway, badGateway, badGateway);
    b = await services.github!.afterCommands(b, [{ kind: 'sync' }], 'b1');
    expect(b.ghsa).toBeUndefined();
    // Say B's key leaked: its true mark on A's older draft still does not make that draft B's.
    b = (await services.cases.get(b.id))!;
    const draftA = github.advisories.get(a.ghsa!.ghsaId)!;
    draftA.created_at = new Date(Date.now() - DAY).toISOString().replace(/\.\d+Z$/, 'Z');
    draftA.description = `x\n\n${caseMarker(b.id, b.ghsaMarkKey!)}`;
    b = await services.github!.afterCommands(b, [{ kind: 'sync' }], 'b2');
    expect(b.ghsa!.ghsaId).not.toBe(a.ghsa!.ghsaId);
  });

  it('creates one draft when GitHub answers 502 after creating it: no blind second POST, the draft is found by its mark', async () => {
    let record = await newCase();
    github.failNext({ ...badGateway, afterOperating: true });
    github.requests.length = 0;
    record = await services.github!.afterCommands(record, [{ kind: 'sync' }], 'm1');
    expect(github.advisories.size).toBe(1);
    expect(github.requests.filter((r) => r.operation === CREATE)).toHaveLength(1);
    const [draft] = [...github.advisories.values()];
    expect(record.ghsa?.ghsaId).toBe(draft!.ghsa_id);
    expect(record.history.some((e) => e.summary.includes('found on GitHub'))).toBe(true);
  });
});

describe("the case's mark on a draft", () => {
  const content = { summary: 's', description: 'x', vulnerabilities: [], cwe_ids: [], credits: [] };
  const id = 'SEC-2026-0001' as CaseId;
  const key = newMarkKey();

  it('ends the description, within GitHub limit, and names one case only', () => {
    const marked = markedContent(content, id, key).description;
    expect(isMarkedFor(marked, id, key)).toBe(true);
    expect(isMarkedFor(marked, 'SEC-2026-00011' as CaseId, key)).toBe(false);
    expect(
      isMarkedFor(markedContent(content, 'SEC-2026-00011' as CaseId, key).description, id, key),
    ).toBe(false);
    const long = markedContent(
      { ...content, description: 'y'.repeat(70_000) },
      id,
      key,
    ).description;
    expect(Array.from(long)).toHaveLength(65_535);
    expect(isMarkedFor(long, id, key)).toBe(true);
  });

  it('cannot be written without the case’s secret (issue 25): the id alone, or another key, is no mark', () => {
    expect(isMarkedFor(`x\n\n<!-- embargo-case: ${id} -->`, id, key)).toBe(false);
    expect(isMarkedFor(markedContent(content, id, newMarkKey()).description, id, key)).toBe(false);
    expect(caseMarker(id, key)).toMatch(/^<!-- embargo-case: SEC-2026-0001 [0-9a-f]{64} -->$/);
  });
});
