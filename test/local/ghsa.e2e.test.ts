import type { ParsedMail } from 'mailparser';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { CaseId } from '../../shared/cases/case-id';
import { GitHubApiStandIn } from '../support/github-api';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { runCli, runCliAsync, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome } from '../support/local-project';
import type { DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';
import { closeEndToEnd, readOutbox, startEndToEnd } from '../support/e2e-suite';

const TOKEN = 'github_pat_e2e_0123456789abcdef';
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N';
const ADVISORY = 'parse_header() overflows its buffer on headers over 8 KiB.';
const LIST = 'oss-security@lists.example';
const DAY = 86_400_000;

/**
 * `/ghsa` the way maintainers send it: a reply on the case thread, signed with GnuPG, over SMTP
 * into `npm start`'s intake, and from there through the real Octokit client to the local GitHub
 * stand-in (which checks each request and answer against GitHub's OpenAPI description).
 */
describe('/ghsa from a signed reply, through intake to GitHub', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let github: GitHubApiStandIn;
  const gpg = {
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    max: new GnuPg(['max-secret.asc', 'project-public.asc']),
  };
  const outbox = () => readOutbox(dir);
  const caseOf = (id: string): CaseRecord => JSON.parse(runCli(['case', id, '--json'], env).stdout);
  let n = 0;

  beforeAll(async () => {
    github = await new GitHubApiStandIn('example/cryptolib').start();
    ({ dir, env, embargo } = await startEndToEnd('ghsa', {
      config: {
        project: 'cryptolib',
        maintainers: [fixtureMaintainer('mia'), fixtureMaintainer('max')],
        ecosystem: 'npm',
        supportedReleases: ['2.4', '2.3'],
        github: { repository: 'example/cryptolib', apiBaseUrl: github.baseUrl },
        osv: { repository: 'example/cryptolib', folder: 'osv' },
        ossSecurity: LIST,
        ossSecurityPost: 'send',
      },
      env: { EMBARGO_GITHUB_TOKEN: TOKEN },
    }));
  });

  afterAll(async () => {
    await closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir });
    await github.stop();
    expect(github.violations).toEqual([]);
    // The token never reaches the output (the logs) of Embargo.
    expect(embargo.output()).not.toContain(TOKEN);
  });

  /** A report from Alice; returns its case id and the reply address of Mia's copy. */
  async function report(): Promise<{ caseId: CaseId; replyTo: string }> {
    n += 1;
    const outcome = await sendAndAwaitOutcome(
      embargo,
      env,
      rawMessage({
        from: 'Alice <alice@example.net>',
        messageId: `<report-${n}@example.net>`,
        body: 'The header parser overflows.',
      }),
      { from: 'alice@example.net', to: 'security@example.org' },
    );
    if (outcome?.kind !== 'case') throw new Error(`no case: ${JSON.stringify(outcome)}`);
    const isCopy = (x: DeliveredMail) =>
      x.deliveredTo === 'mia@example.org' && x.raw.includes(outcome.caseId);
    const mails = await waitFor(outbox, (m) => m.some(isCopy));
    const copy = mails.find(isCopy)!;
    return { caseId: outcome.caseId, replyTo: copy.parsed.replyTo?.value[0]?.address ?? '' };
  }

  /** Mia's reply, `gpg --clearsign`ed, sent on the thread. */
  async function reply(caseId: string, replyTo: string, body: string) {
    const signed = gpg.mia.run(['--clearsign', '--local-user', 'mia@example.org'], body);
    expect(signed.status).toBe(0);
    const raw = [
      'From: Mia <mia@example.org>',
      `To: ${replyTo}`,
      `Subject: Re: [${caseId}]`,
      `Message-ID: <ghsa-${caseId}-${Date.now()}@example.org>`,
      '',
      signed.stdout.toString(),
    ]
      .join('\n')
      .replace(/\r?\n/g, '\r\n');
    const outcome = await sendAndAwaitOutcome(embargo, env, raw, {
      from: 'mia@example.org',
      to: replyTo,
    });
    expect(outcome).toEqual({ kind: 'follow-up', caseId });
  }

  /** The decrypted text of each mail to `who` about the case whose text matches. */
  async function mailsTo(who: 'mia' | 'max', caseId: string, text: RegExp) {
    const found: ParsedMail[] = [];
    for (const mail of (await outbox()).filter((m) => m.deliveredTo === `${who}@example.org`)) {
      if (!mail.raw.includes(caseId)) continue;
      const opened = await openPgpMime(gpg[who], mail);
      if ('inner' in opened && text.test(opened.inner.text ?? '')) found.push(opened.inner);
    }
    return found;
  }

  /** The case of the first test, disclosed by a later one. */
  let firstCase = { caseId: '' as CaseId, replyTo: '' };

  it('creates the draft from the case, records it, and gives its URL to the maintainers only', async () => {
    const { caseId, replyTo } = await report();
    firstCase = { caseId, replyTo };
    await reply(
      caseId,
      replyTo,
      [
        '/title Heap overflow in parse_header',
        `/cvss ${V31}`,
        '/cwe CWE-787, CWE-125',
        '/affected >= 2.0, < 2.4.1',
        '/fixed 2.4.1, 2.3.9',
        '/credit reporter Alice Example @alice-example; analyst Max',
        '/ghsa',
        '/advisory',
        '',
        ADVISORY,
        '',
      ].join('\n'),
    );

    const record = await waitFor(
      () => caseOf(caseId),
      (r) => r.ghsa !== undefined,
    );
    expect(github.advisories.size).toBe(1);
    const [draft] = [...github.advisories.values()];
    expect(draft!.description.startsWith(`${ADVISORY}\n\n`)).toBe(true);
    expect(draft).toMatchObject({
      state: 'draft',
      summary: 'Heap overflow in parse_header',
      // The case's mark: its id and an HMAC under the case's secret (not in the case's JSON).
      description: expect.stringMatching(
        new RegExp(`\\n\\n<!-- embargo-case: ${caseId} [0-9a-f]{64} -->$`),
      ),
      cvss_vector_string: V31,
      cwe_ids: ['CWE-787', 'CWE-125'],
      credits: [{ login: 'alice-example', type: 'reporter' }],
      vulnerabilities: [
        {
          package: { ecosystem: 'npm', name: 'cryptolib' },
          vulnerable_version_range: '>= 2.0, < 2.3.9',
          patched_versions: '2.3.9',
        },
        {
          package: { ecosystem: 'npm', name: 'cryptolib' },
          vulnerable_version_range: '>= 2.4.0, < 2.4.1',
          patched_versions: '2.4.1',
        },
      ],
    });
    // GitHub takes a vector or a severity word, not both.
    expect(draft).not.toHaveProperty('severity');
    expect(github.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);

    expect(record.ghsa).toMatchObject({ ghsaId: draft!.ghsa_id, url: draft!.html_url });
    expect(record.history.map((e) => e.summary)).toContain(
      `GitHub draft advisory ${draft!.ghsa_id} created`,
    );

    // Both maintainers get the URL, in mail encrypted to them.
    for (const who of ['mia', 'max'] as const) {
      const told = await waitFor(
        () => mailsTo(who, caseId, /Draft repository security advisory created/),
        (m) => m.length > 0,
      );
      expect(told).toHaveLength(1);
      expect(told[0]!.text).toContain(draft!.html_url);
    }
    // The reporter gets nothing with it, and no mail carries it in clear text.
    const all: DeliveredMail[] = await outbox();
    expect(all.filter((m) => m.deliveredTo === 'alice@example.net').length).toBeGreaterThan(0);
    for (const mail of all) expect(mail.raw).not.toContain(draft!.ghsa_id);
  });

  it('on D, after `tick`, publishes the advisory, commits the OSV record and posts to oss-security, once', async () => {
    const caseId = firstCase.caseId;
    const disclosure = new Date(Math.floor((Date.now() + 10 * DAY) / 60_000) * 60_000);
    await reply(
      caseId,
      firstCase.replyTo,
      `/disclose ${disclosure.toISOString().replace(/:00\.000Z$/, 'Z')}`,
    );
    // Not spawnSync: the GitHub stand-in answers from this process while the CLI runs.
    const tick = async () => {
      const when = new Date(disclosure.getTime() + 60_000).toISOString();
      const ran = await runCliAsync(['tick', '--now', when], env);
      expect(ran.status).toBe(0);
    };
    await tick();
    await tick();
    const record = caseOf(caseId);
    expect(record.disclosedAt).toBeDefined();
    const [draft] = [...github.advisories.values()];
    expect(draft!.state).toBe('published');
    expect(github.contents.commits.map((c) => c.path)).toEqual([`osv/x_CRYPTOLIB-${caseId}.json`]);
    expect(record.osvCommit?.commitSha).toBe(github.contents.commits[0]!.commit.sha);
    const posts = (await outbox()).filter((m) => m.deliveredTo === LIST);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.subject).toBe('cryptolib: Heap overflow in parse_header');
    expect(posts[0]!.parsed.text).toContain(
      `https://github.com/example/cryptolib/blob/main/osv/x_CRYPTOLIB-${caseId}.json`,
    );
    expect(posts[0]!.parsed.text).toContain(draft!.html_url);
    expect(record.ossSecurityPost?.to).toBe(LIST);
    // `embargo case` says where each went.
    const shown = runCli(['case', caseId], env).stdout;
    expect(shown).toContain(record.osvCommit!.commitUrl);
    expect(shown).toMatch(/oss-sec +posted to oss-security@lists\.example/);
  });

  it.each([
    [
      422,
      {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest',
        errors: [{ code: 'invalid', field: 'credits', message: 'Credits login is not a user' }],
      },
      /GitHub did not accept the advisory \(422 Unprocessable\)\. GitHub said: "Validation Failed; Credits login is not a user"/,
      /Correct the field GitHub names/,
    ],
    [
      401,
      { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
      /GitHub refused the token \(401 Unauthorized\)\. GitHub said: "Bad credentials"/,
      /Check that the token is set \(EMBARGO_GITHUB_TOKEN/,
    ],
  ])(
    'records a %i on the case and tells the maintainers in words',
    async (status, body, problem, action) => {
      const { caseId, replyTo } = await report();
      const before = github.advisories.size;
      github.failNext({ status, body });
      await reply(caseId, replyTo, '/title Overflow\n/ghsa\n');

      const record = await waitFor(
        () => caseOf(caseId),
        (r) => r.history.some((e) => e.summary.startsWith('GitHub sync failed')),
      );
      expect(github.advisories.size).toBe(before);
      expect(record.ghsa).toBeUndefined();
      const failed = record.history.find((e) => e.summary.startsWith('GitHub sync failed'))!;
      expect(failed.summary).toMatch(problem);
      for (const who of ['mia', 'max'] as const) {
        const told = await waitFor(
          () => mailsTo(who, caseId, /What to do:/),
          (m) => m.length > 0,
        );
        expect(told[0]!.text).toMatch(problem);
        expect(told[0]!.text).toMatch(action);
      }
    },
  );
});
