/**
 * Disclosure day in a minute (#29): from the disclosure instant (the notice service invoked for
 * the `disclosure` trigger) to the last record written or published: the public notice, the
 * records mailed and stored (OSV, CVE, CSAF, OpenVEX), the GitHub advisory published, the OSV
 * record committed, the CSAF provider directory written, and the oss-security post sent. Local stores (dynalite, s3rver), the
 * Maildir outbox and the GitHub stand-in (the real Octokit client over HTTP); each run a fresh
 * case with a draft advisory on GitHub, three maintainers and two distributors.
 */
import { caseRecord } from '../../test/support/case-builder';
import { GitHubApiStandIn } from '../../test/support/github-api';
import { pgpFixture, startStores } from '../../test/support/local-stores';
import { MaildirMailTransport } from '../../shared/adapters/maildir/maildir-mail-transport';
import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import type { MailTransport } from '../../shared/outbound/mail-transport';

/** Milliseconds from the trigger to each record out, in one run. */
export interface DisclosureSample {
  notice: number;
  /** The disclosure-day mail with the four records, stored and sent to every maintainer. */
  records: number;
  ghsa: number;
  osv: number;
  /** The last file of the CSAF provider directory committed (absent in runs saved before it). */
  csaf?: number;
  post: number;
  /** The notice run returned: nothing is left to do. */
  total: number;
  mails: number;
  githubRequests: number;
}

export interface DisclosureMinuteResult {
  runs: DisclosureSample[];
}

const LIST = 'oss-security@lists.example';
const DAY = 86_400_000;

export async function runDisclosureMinute(
  base: EmbargoConfig,
  runs: number,
  progress: (done: number) => void,
): Promise<DisclosureMinuteResult> {
  const stores = await startStores();
  const github = await new GitHubApiStandIn('example/example').start();
  const sent: { to: string; at: number }[] = [];
  const maildir = new MaildirMailTransport(stores.outboxDir);
  const transport: MailTransport = {
    async send(mail) {
      const receipt = await maildir.send(mail);
      sent.push({ to: mail.recipient, at: Date.now() });
      return receipt;
    },
  };
  const config: EmbargoConfig = {
    ...base,
    ossSecurity: LIST,
    ossSecurityPost: 'send',
    ecosystem: 'npm',
    supportedReleases: ['2.4', '2.3'],
    repositoryUrl: 'https://github.com/example/example',
    github: { repository: 'example/example', apiBaseUrl: github.baseUrl },
    osv: { repository: 'example/example', folder: 'osv' },
    csaf: {
      repository: 'example/example',
      folder: 'csaf',
      branch: 'gh-pages',
      baseUrl: 'https://example.github.io/example/csaf/',
    },
  };
  const services = stores.services({
    config,
    transport,
    githubToken: { token: async () => 'github_pat_bench' },
  });
  try {
    for (const name of ['debian', 'fedora']) {
      const armored = pgpFixture(`${name}-public.asc`).toString();
      const key = await services.crypto.inspectKey(armored);
      await services.distributors.put({
        email: `security@${name}.example`,
        name,
        publicKeyArmored: armored,
        fingerprint: key.usable ? key.fingerprint : '',
        addedAt: new Date().toISOString(),
      });
    }
    const samples: DisclosureSample[] = [];
    for (let i = 1; i <= runs; i++) {
      const id = `SEC-2026-${String(i).padStart(4, '0')}` as CaseId;
      const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
      let { record } = await services.cases.createIfAbsent(
        caseRecord(id, {
          title: 'Heap overflow in parse_header',
          advisory: 'parse_header() overflows its buffer on headers over 8 KiB.',
          cve: `CVE-2026-${1000 + i}`,
          severity: 'high',
          affected: '>= 2.0, < 2.4.1',
          fixed: '2.4.1, 2.3.9',
          credits: [{ name: 'Alice Example', type: 'finder', github: 'alice-example' }],
          disclosureAt,
        }),
      );
      record = await services.github!.afterCommands(record, [{ kind: 'sync' }], `bench-${i}`);
      // The advance notice went out days before: the disclosure run sends only D's mail.
      await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt });
      const mailsBefore = sent.length;
      const requestsBefore = github.requests.length;
      const t0 = Date.now();
      const outcome = await services.notices.fire({ caseId: id, kind: 'disclosure', disclosureAt });
      const total = Date.now() - t0;
      if (outcome.kind !== 'sent')
        throw new Error(`disclosure not sent: ${JSON.stringify(outcome)}`);
      const after = (await services.cases.get(id))!;
      const event = (prefix: string) => after.history.find((e) => e.id.startsWith(prefix));
      const request = (match: (r: (typeof github.requests)[number]) => boolean) =>
        github.requests.slice(requestsBefore).find(match);
      const mailTo = (to: string) => sent.slice(mailsBefore).find((m) => m.to === to);
      const published = request((r) => r.method === 'PATCH' && r.body?.state === 'published');
      const committed = request((r) => r.method === 'PUT' && r.path.includes('/contents/osv'));
      const directory = github.requests
        .slice(requestsBefore)
        .filter((r) => r.method === 'PUT' && r.path.includes('/contents/csaf'))
        .at(-1);
      const checklist = event('disclosure-notice:');
      const notice = mailTo(config.announceAddress);
      const post = mailTo(LIST);
      if (!published || !committed || !directory || !checklist || !notice || !post)
        throw new Error(`${id}: a record is missing after the disclosure run`);
      samples.push({
        notice: notice.at - t0,
        records: Date.parse(checklist.at) - t0,
        ghsa: published.at - t0,
        osv: committed.at - t0,
        csaf: directory.at - t0,
        post: post.at - t0,
        total,
        mails: sent.length - mailsBefore,
        githubRequests: github.requests.length - requestsBefore,
      });
      progress(i);
    }
    if (github.violations.length) throw new Error(github.violations.join('\n'));
    return { runs: samples };
  } finally {
    await github.stop();
    await stores.stop();
  }
}
