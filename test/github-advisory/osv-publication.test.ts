import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseDetails } from '../../infra/cli/output/case-views';
import { parseCommands } from '../../shared/commands/case-commands';
import { mailEffectLines } from '../../shared/commands/command-effects';
import { caseRecord } from '../support/case-builder';
import { GitHubApiStandIn } from '../support/github-api';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { memoryLogger, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const TOKEN = 'github_pat_osv_test_secret';
const DAY = 86_400_000;
const CONTENTS = 'PUT /repos/{owner}/{repo}/contents/{path}';

/**
 * The OSV record committed on disclosure day through the real Octokit client to the GitHub
 * stand-in (every request and answer checked against GitHub's OpenAPI description), with the
 * case in dynalite, its files in s3rver and the maintainers' mail in the Maildir outbox.
 */
describe('the OSV record committed where OSV.dev imports it', () => {
  let stores: Stores;
  let github: GitHubApiStandIn;
  let services: EmbargoServices;
  let log: ReturnType<typeof memoryLogger>;
  let n = 0;
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);

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
        osv: { repository: 'example/cryptolib', folder: 'advisories/osv' },
      },
      githubToken: { token: async () => TOKEN },
    });
  });
  afterEach(async () => {
    await github.stop();
    await stores.stop();
    expect(github.violations).toEqual([]);
    const logged = JSON.stringify(log.lines);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain('The parser overflows');
  });
  afterAll(() => mia.close());

  async function newCase(fields: Partial<CaseRecord> = {}): Promise<CaseRecord> {
    n += 1;
    const id = `SEC-2026-${String(n).padStart(4, '0')}` as CaseId;
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    const { record } = await services.cases.createIfAbsent(
      caseRecord(id, {
        title: 'Heap overflow in parse_header',
        advisory: 'The parser overflows on headers over 8 KiB.',
        affected: '>= 2.0, < 2.4.1',
        fixed: '2.4.1',
        disclosureAt,
        ...fields,
      }),
    );
    return record;
  }

  const fire = (record: CaseRecord, kind: 'advance' | 'disclosure') =>
    services.notices.fire({ caseId: record.id, kind, disclosureAt: record.disclosureAt! });

  /** The decrypted texts of Mia's mails whose subject matches. */
  async function toMia(subject: RegExp): Promise<string[]> {
    const texts: string[] = [];
    for (const mail of await readMaildir(stores.outboxDir)) {
      if (mail.deliveredTo !== 'mia@example.org' || !subject.test(mail.subject)) continue;
      const opened = await openPgpMime(mia, mail);
      if ('error' in opened) throw new Error(opened.error);
      texts.push(opened.inner.text ?? '');
    }
    return texts;
  }

  it('commits nothing before D, then the disclosed record once, in the configured folder', async () => {
    const record = await newCase();
    await fire(record, 'advance');
    expect(github.requests).toEqual([]);

    await fire(record, 'disclosure');
    const path = `advisories/osv/x_CRYPTOLIB-${record.id}.json`;
    expect(github.contents.commits.map((c) => c.path)).toEqual([path]);
    const [commit] = github.contents.commits;
    // The file is the OSV record the disclosure-day mail carries, as published (not a draft).
    const committed = JSON.parse(commit!.content.toString('utf8')) as Record<string, unknown>;
    const exported = await services.files.get(`${record.id}/exports/${record.id}.osv.json`);
    expect(commit!.content.equals(exported)).toBe(true);
    expect(committed).toMatchObject({
      id: `x_CRYPTOLIB-${record.id}`,
      summary: 'Heap overflow in parse_header',
    });
    expect(commit!.commit.message).toMatch(/^Add OSV record x_CRYPTOLIB-SEC-2026-\d{4}\n/);
    expect(commit!.branch).toBe('main');
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);

    const after = (await services.cases.get(record.id))!;
    expect(after.osvCommit).toMatchObject({
      repository: 'example/cryptolib',
      path,
      commitSha: commit!.commit.sha,
      commitUrl: `https://github.com/example/cryptolib/commit/${commit!.commit.sha}`,
      fileUrl: `https://github.com/example/cryptolib/blob/main/${path}`,
    });
    // `embargo case` names the commit.
    expect(caseDetails(after, new Date(), services.config)).toContain(after.osvCommit!.commitUrl);
    // After the public notice, never before it.
    const order = after.history.map((e) => e.type);
    expect(order.indexOf('disclosure-notice')).toBeLessThan(order.indexOf('record-published'));
    const [checklist] = await toMia(/Disclosure day/);
    expect(checklist).toContain('[x] Embargo commits the OSV record to example/cryptolib');
    const told = await toMia(/OSV record .* committed/);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(after.osvCommit!.commitUrl);

    // The notice again (schedulers deliver at least once): no second commit, no second mail.
    const requests = github.requests.length;
    await fire(record, 'disclosure');
    expect(github.contents.commits).toHaveLength(1);
    expect(github.requests).toHaveLength(requests);
    expect(await toMia(/OSV record .* committed/)).toHaveLength(1);
  });

  it('commits to the configured branch', async () => {
    services = stores.services({
      log,
      config: {
        ...services.config,
        osv: { repository: 'example/cryptolib', folder: 'osv', branch: 'osv-records' },
      },
      githubToken: { token: async () => TOKEN },
    });
    const record = await newCase();
    await fire(record, 'disclosure');
    expect(github.contents.commits.map((c) => `${c.branch}:${c.path}`)).toEqual([
      `osv-records:osv/x_CRYPTOLIB-${record.id}.json`,
    ]);
  });

  it('after a 502 that followed the commit, finds the file and records it instead of committing again', async () => {
    const record = await newCase();
    github.failNext({
      status: 502,
      body: { message: 'Bad gateway' },
      operation: CONTENTS,
      afterOperating: true,
    });
    await fire(record, 'disclosure');
    expect(github.contents.commits).toHaveLength(1);
    expect(github.requests.filter((r) => r.operation === CONTENTS)).toHaveLength(1);
    const after = (await services.cases.get(record.id))!;
    expect(after.osvCommit?.commitSha).toBe(github.contents.commits[0]!.commit.sha);
    expect(after.history.at(-1)?.summary).toContain('committed earlier');
  });

  it('after a 502 before the commit, looks, then commits once', async () => {
    const record = await newCase();
    github.failNext({ status: 502, body: { message: 'Bad gateway' }, operation: CONTENTS });
    await fire(record, 'disclosure');
    expect(github.contents.commits).toHaveLength(1);
    expect(github.requests.filter((r) => r.operation === CONTENTS)).toHaveLength(2);
    expect((await services.cases.get(record.id))!.osvCommit).toBeDefined();
  });

  it('records a refusal, tells the maintainers what the token needs, and commits on the next run', async () => {
    const record = await newCase();
    github.failNext({
      status: 403,
      body: { message: 'Resource not accessible by personal access token' },
      operation: CONTENTS,
    });
    await fire(record, 'disclosure');
    expect(github.contents.commits).toHaveLength(0);
    let after = (await services.cases.get(record.id))!;
    expect(after.osvCommit).toBeUndefined();
    expect(after.history.at(-1)?.summary).toContain('OSV record not committed');
    const told = await toMia(/OSV record was NOT committed/);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('"Contents: Read and write"');

    await fire(record, 'disclosure');
    after = (await services.cases.get(record.id))!;
    expect(github.contents.commits).toHaveLength(1);
    expect(after.osvCommit?.path).toBe(`advisories/osv/x_CRYPTOLIB-${record.id}.json`);
  });
  /** A command block from the admin CLI, applied as a signed mail's would be. */
  async function command(record: CaseRecord, line: string, sourceId: string) {
    const parsed = parseCommands(line, new Date());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return services.commands.apply((await services.cases.get(record.id))!, parsed, {
      id: sourceId,
      at: new Date().toISOString(),
      actor: 'cli',
      who: 'The admin CLI (test)',
      authentication: { method: 'cli', caller: 'test' },
    });
  }

  const committed = (i: number) =>
    JSON.parse(github.contents.commits[i]!.content.toString('utf8')) as Record<string, unknown>;

  it('after D, a change to what the record says commits the new record once, over the same path', async () => {
    const record = await newCase();
    // Before D a change commits nothing (there is nothing published to update).
    await command(record, '/cve CVE-2026-1111', 'before-d');
    expect(github.contents.commits).toHaveLength(0);
    await fire(record, 'disclosure');
    expect(github.contents.commits).toHaveLength(1);
    const path = `advisories/osv/x_CRYPTOLIB-${record.id}.json`;
    const first = committed(0);

    // What the CLI says before it applies: the commit and the mail about it.
    const preview = await services.commands.preview(
      (await services.cases.get(record.id))!,
      parseCommands('/fixed 2.4.1, 2.3.9', new Date()) as never,
      {},
    );
    expect(mailEffectLines(preview.mail).join('\n')).toContain(
      `the changed OSV record committed to example/cryptolib (${path})`,
    );
    expect(github.contents.commits).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 5));
    const applied = await command(record, '/fixed 2.4.1, 2.3.9', 'after-d-1');
    expect(mailEffectLines(applied.mail).join('\n')).toContain('the changed OSV record committed');
    expect(github.contents.commits.map((c) => c.path)).toEqual([path, path]);
    const second = committed(1);
    expect(github.contents.commits[1]!.commit.message).toMatch(
      /^Update OSV record x_CRYPTOLIB-SEC-2026-\d{4}\n[\s\S]*Changed: fixed/,
    );
    // The same record, changed: `published` stays, `modified` moves, the new fix is there.
    expect(second.id).toBe(first.id);
    expect(second.published).toBe(first.published);
    expect(Date.parse(second.modified as string)).toBeGreaterThan(
      Date.parse(first.modified as string),
    );
    expect(JSON.stringify(second.affected)).toContain('2.3.9');
    expect(JSON.stringify(first.affected)).not.toContain('2.3.9');

    let after = (await services.cases.get(record.id))!;
    expect(after.osvCommit).toMatchObject({
      path,
      commitSha: github.contents.commits[1]!.commit.sha,
      commitUrl: `https://github.com/example/cryptolib/commit/${github.contents.commits[1]!.commit.sha}`,
    });
    expect(after.history.at(-1)?.summary).toMatch(
      /^Changed OSV record .* committed to example\/cryptolib/,
    );
    const told = await toMia(/Changed OSV record .* committed/);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(after.osvCommit!.commitUrl);

    // The same block delivered again: no second commit, no second mail.
    await command(record, '/fixed 2.4.1, 2.3.9', 'after-d-1');
    expect(github.contents.commits).toHaveLength(2);
    expect(await toMia(/Changed OSV record .* committed/)).toHaveLength(1);

    // A change the record does not carry (a label), or a value set again: no commit, no request.
    const requests = github.requests.length;
    const labelled = await command(record, '/label crypto', 'after-d-2');
    await command(record, '/fixed 2.4.1, 2.3.9', 'after-d-3');
    expect(github.contents.commits).toHaveLength(2);
    expect(github.requests).toHaveLength(requests);
    expect(mailEffectLines(labelled.mail).join('\n')).not.toContain('OSV record');

    // Another change: a third commit, on top of the second.
    await command(record, '/cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'after-d-4');
    expect(github.contents.commits).toHaveLength(3);
    expect(committed(2).severity).toEqual([
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    ]);
    after = (await services.cases.get(record.id))!;
    expect(after.osvCommit?.commitSha).toBe(github.contents.commits[2]!.commit.sha);
    expect(await toMia(/Changed OSV record .* committed/)).toHaveLength(2);
  });

  it('after a 502 that followed the update, finds the new record and records it instead of committing again', async () => {
    const record = await newCase();
    await fire(record, 'disclosure');
    github.failNext({
      status: 502,
      body: { message: 'Bad gateway' },
      operation: CONTENTS,
      afterOperating: true,
    });
    await command(record, '/cve CVE-2026-2222', 'after-d-502');
    expect(github.contents.commits).toHaveLength(2);
    expect(github.requests.filter((r) => r.operation === CONTENTS)).toHaveLength(2);
    expect(committed(1).aliases).toEqual(['CVE-2026-2222']);
    const after = (await services.cases.get(record.id))!;
    expect(after.osvCommit?.commitSha).toBe(github.contents.commits[1]!.commit.sha);
    expect(after.history.at(-1)?.summary).toContain('committed earlier');
    expect(await toMia(/Changed OSV record .* found/)).toHaveLength(1);
  });

  it('after a 502 before the update, and a file changed meanwhile (409), reads again and commits once', async () => {
    const record = await newCase();
    await fire(record, 'disclosure');
    github.failNext(
      { status: 502, body: { message: 'Bad gateway' }, operation: CONTENTS },
      {
        status: 409,
        body: { message: 'advisories/osv/x.json does not match 0000' },
        operation: CONTENTS,
      },
    );
    await command(record, '/cve CVE-2026-3333', 'after-d-409');
    expect(github.contents.commits).toHaveLength(2);
    expect(github.requests.filter((r) => r.operation === CONTENTS)).toHaveLength(4);
    expect(committed(1).aliases).toEqual(['CVE-2026-3333']);
  });

  it('records a refusal of the update, tells the maintainers, and the next command commits it', async () => {
    const record = await newCase();
    await fire(record, 'disclosure');
    github.failNext({
      status: 403,
      body: { message: 'Resource not accessible by personal access token' },
      operation: CONTENTS,
    });
    await command(record, '/cve CVE-2026-4444', 'after-d-403');
    expect(github.contents.commits).toHaveLength(1);
    expect((await services.cases.get(record.id))!.history.at(-1)?.summary).toContain(
      'Changed OSV record not committed',
    );
    const told = await toMia(/changed OSV record was NOT committed/);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('/status will do');

    await command(record, '/status', 'after-d-status');
    expect(github.contents.commits).toHaveLength(2);
    expect(committed(1).aliases).toEqual(['CVE-2026-4444']);
  });
});
