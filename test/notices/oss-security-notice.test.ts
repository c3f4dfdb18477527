import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { GitHubApiStandIn } from '../support/github-api';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
const LIST = 'oss-security@lists.example';
const TOKEN = 'github_pat_oss_post_test';
const config: EmbargoConfig = {
  ...testConfig,
  project: 'cryptolib',
  maintainers: [resolvedMaintainer('mia')],
  ossSecurity: LIST,
};

/**
 * The disclosure-day post to oss-security, through the notice service with its real stores
 * (dynalite, s3rver) and the Maildir outbox: ready to send in the maintainers' checklist, or
 * sent by Embargo once with `ossSecurityPost: "send"`.
 */
describe('the oss-security post on disclosure day', () => {
  let stores: Stores;
  let github: GitHubApiStandIn;
  let n = 0;
  const gpg = new GnuPg(['mia-secret.asc', 'project-public.asc']);

  beforeEach(async () => {
    stores = await startStores();
    github = await new GitHubApiStandIn().start();
  });
  afterEach(async () => {
    await github.stop();
    await stores.stop();
    expect(github.violations).toEqual([]);
  });
  afterAll(() => gpg.close());

  async function disclose(services: EmbargoServices): Promise<CaseRecord> {
    n += 1;
    const id = `SEC-2026-${String(n).padStart(4, '0')}` as CaseId;
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    await services.cases.createIfAbsent(
      caseRecord(id, {
        title: 'Heap overflow in parse_header',
        cve: 'CVE-2026-1234',
        advisory: 'The parser overflows on headers over 8 KiB.',
        affected: '>= 2.0, < 2.4.1',
        fixed: '2.4.1',
        credits: [{ name: 'Alice Example', type: 'finder' }],
        disclosureAt,
        advanceNoticesSent: [disclosureAt],
      }),
    );
    const trigger = { caseId: id, kind: 'disclosure', disclosureAt } as const;
    expect((await services.notices.fire(trigger)).kind).toBe('sent');
    // Schedulers deliver at least once: the second run sends nothing again.
    await services.notices.fire(trigger);
    return (await services.cases.get(id))!;
  }

  const mails = () => readMaildir(stores.outboxDir);

  async function toMia(subject: RegExp): Promise<string[]> {
    const texts: string[] = [];
    for (const mail of await mails()) {
      if (mail.deliveredTo !== 'mia@example.org' || !subject.test(mail.subject)) continue;
      const opened = await openPgpMime(gpg, mail);
      if ('error' in opened) throw new Error(opened.error);
      texts.push(opened.inner.text ?? '');
    }
    return texts;
  }

  it('puts the post, ready to send, in the checklist and sends nothing to the list', async () => {
    const record = await disclose(stores.services({ config }));
    expect((await mails()).filter((m) => m.deliveredTo === LIST)).toEqual([]);
    const [checklist] = await toMia(/Disclosure day/);
    expect(checklist).toContain(`[ ] Post the advisory to ${LIST} now`);
    expect(checklist).toContain(`----- Post to ${LIST} (plain text, as it stands) -----`);
    expect(checklist).toContain('Subject: CVE-2026-1234: cryptolib: Heap overflow in parse_header');
    expect(checklist).toMatch(/^Affected versions: >= 2\.0, < 2\.4\.1$/m);
    expect(checklist).toContain('Thanks to Alice Example for finding');
    expect(record.ossSecurityPost).toBeUndefined();
  });

  it('with "send", posts once from the security address after the records, clearsigned, and copies the maintainers', async () => {
    const services = stores.services({
      config: {
        ...config,
        ossSecurityPost: 'send',
        github: { repository: 'example/cryptolib', apiBaseUrl: github.baseUrl },
        osv: { repository: 'example/cryptolib', folder: 'osv' },
      },
      githubToken: { token: async () => TOKEN },
    });
    const record = await disclose(services);
    const posts = (await mails()).filter((m) => m.deliveredTo === LIST);
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.subject).toBe('CVE-2026-1234: cryptolib: Heap overflow in parse_header');
    expect(post.parsed.from?.value[0]?.address).toBe(config.securityAddress);
    const text = post.parsed.text ?? '';
    expect(text).toContain('-----BEGIN PGP SIGNED MESSAGE-----');
    const verified = gpg.run(['--status-fd', '1', '--verify'], text);
    expect(verified.stdout.toString()).toContain('VALIDSIG');
    // It links the OSV record committed just before it.
    expect(text).toContain(
      `https://github.com/example/cryptolib/blob/main/${record.osvCommit!.path}`,
    );
    // Plain text, wrapped at 72; only a link that cannot be broken stands longer, alone.
    const wide = text.split('\n').filter((l) => l.trimEnd().length > 72);
    expect(wide.filter((l) => !/^https:\/\/\S+$/.test(l))).toEqual([]);

    expect(record.ossSecurityPost).toMatchObject({ to: LIST, subject: post.subject });
    const order = record.history.map((e) => e.id.split(':')[0]);
    expect(order.indexOf('osv')).toBeLessThan(order.indexOf('oss-security-post'));
    const [checklist] = await toMia(/Disclosure day/);
    expect(checklist).toContain(`[x] Embargo posts the advisory to ${LIST}`);
    const copies = await toMia(/^\[SEC-2026-\d{4}\] Posted to/);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toContain('Affected versions: >= 2.0, < 2.4.1');
  });
});
