import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord, CaseUpdate } from '../../shared/cases/case-record';
import type { CaseRepository } from '../../shared/cases/case-repository';
import {
  caseMarker,
  isMarkedFor,
  markedContent,
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
  listReceivedSince = (since: string) => this.inner.listReceivedSince(since);
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
    expect(mine.description).toBe(`The parser overflows.\n\n${caseMarker(record.id)}`);
    expect(record.history.at(-1)?.summary).toContain('found on GitHub');
    // The other case's draft was not taken.
    expect((await services.cases.get(other.id))!.ghsa!.ghsaId).not.toBe(mine.ghsa_id);
    // One confirmation per case, with the URL, to the maintainers.
    expect(await mailsToMia()).toHaveLength(2);
  });

  it('creates the draft when the stopped attempt never reached GitHub', async () => {
    let record = await newCase();
    // Down through the first attempt and its retries: GitHub never saw the draft.
    const down = { status: 503, body: { message: 'Service Unavailable' } };
    github.failNext(down, down, down, down);
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
});

describe("the case's mark on a draft", () => {
  const content = { summary: 's', description: 'x', vulnerabilities: [], cwe_ids: [], credits: [] };
  const id = 'SEC-2026-0001' as CaseId;

  it('ends the description, within GitHub limit, and names one case only', () => {
    const marked = markedContent(content, id).description;
    expect(isMarkedFor(marked, id)).toBe(true);
    expect(isMarkedFor(marked, 'SEC-2026-00011' as CaseId)).toBe(false);
    expect(isMarkedFor(markedContent(content, 'SEC-2026-00011' as CaseId).description, id)).toBe(
      false,
    );
    const long = markedContent({ ...content, description: 'y'.repeat(70_000) }, id).description;
    expect(Array.from(long)).toHaveLength(65_535);
    expect(isMarkedFor(long, id)).toBe(true);
  });
});
