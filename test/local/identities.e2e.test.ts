import type { CaseRecord } from '../../shared/cases/case-record';
import { reportWithKey } from '../support/attacker-mail';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, openCaseOverSmtp } from '../support/local-project';
import { pgpFixture } from '../support/local-stores';
import { headerOf, type DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';
import { closeEndToEnd, readOutbox, startEndToEnd } from '../support/e2e-suite';

const fingerprints = JSON.parse(pgpFixture('fingerprints.json').toString()) as Record<
  string,
  string
>;

/** Issue 14's two findings, replayed over SMTP against `npm start`, as the tester sent them. */
describe('addresses and identities end to end over SMTP', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  const gpg = {
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    max: new GnuPg(['max-secret.asc', 'project-public.asc']),
    attacker: new GnuPg(['project-public.asc']),
  };

  const outbox = () => readOutbox(dir);
  const caseOf = (id: string): CaseRecord => JSON.parse(runCli(['case', id, '--json'], env).stdout);
  const about = (mails: DeliveredMail[], caseId: string) =>
    mails.filter((m) => m.subject?.startsWith(`[${caseId}]`));

  async function send(raw: string, envelopeFrom: string): Promise<string> {
    return openCaseOverSmtp(embargo, env, raw, envelopeFrom);
  }

  async function opened(gnupg: GnuPg, mail: DeliveredMail | undefined): Promise<string> {
    if (!mail) throw new Error('no such mail');
    const result = await openPgpMime(gnupg, mail);
    if ('error' in result) throw new Error(result.error);
    return result.inner.text ?? '';
  }

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('identities', {
      config: { maintainers: [fixtureMaintainer('mia'), fixtureMaintainer('max')] },
    }));
  }, 60_000);

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it('sends nothing to a From that parses into another domain, and shows the maintainers why', async () => {
    const caseId = await send(
      rawMessage({ from: 'R <r@example.net(a(b)c)@evil.test>' }),
      'r@example.net',
    );
    const mails = await waitFor(outbox, (m) => about(m, caseId).length >= 2);
    const sent = about(mails, caseId);
    expect(sent.map((m) => m.deliveredTo).sort()).toEqual(['max@example.org', 'mia@example.org']);
    for (const mail of mails) {
      expect(mail.deliveredTo).not.toMatch(/evil\.test|r@example\.net/);
      expect(headerOf(mail, 'to')).not.toMatch(/evil\.test/);
    }
    const record = caseOf(caseId);
    expect(record.reporterAddressProblem).toMatch(/comment/);
    expect(record.acknowledgedAt).toBeUndefined();
    expect(record.history.filter((e) => e.type === 'sender-warning')).toHaveLength(1);
    const text = await opened(
      gpg.mia,
      sent.find((m) => m.deliveredTo === 'mia@example.org'),
    );
    expect(text).toMatch(/WARNING: +From header refused: the From header contains a comment/);
    expect(text).toContain('Nothing is sent to this sender.');
    // The operator sees it too.
    expect(runCli(['case', caseId], env).stdout).toContain('not a mailbox, never written to');
  });

  it("takes no key offered in a maintainer's name, encrypts to the registered keys only, and flags the impersonation", async () => {
    const fingerprint = gpg.attacker.generate('attacker <mia@example.org>');
    const caseId = await send(
      reportWithKey(
        'm1 <mia@example.org>',
        'mia@example.org',
        gpg.attacker.run(['--armor', '--export', fingerprint]).stdout.toString(),
        gpg.attacker.run(['--export', fingerprint]).stdout,
      ),
      'mia@example.org',
    );
    const mails = await waitFor(outbox, (m) => about(m, caseId).length >= 3);
    const record = caseOf(caseId);
    expect(record.reporter.address).toBe('mia@example.org');
    expect(record.reporterKey).toBeUndefined();
    expect(record.history.map((e) => e.summary).join('\n')).toContain(
      `Impersonation attempt: this mail offers key ${fingerprint} for mia@example.org`,
    );
    const sent = about(mails, caseId);
    const ack = sent.find((m) => /was received/.test(m.subject ?? ''));
    expect(ack?.deliveredTo).toBe('mia@example.org');
    expect(ack?.raw).not.toMatch(/multipart\/encrypted/);
    for (const [name, address] of [
      ['mia', 'mia@example.org'],
      ['max', 'max@example.org'],
    ] as const) {
      const copy = sent.find(
        (m) => m.deliveredTo === address && /New report/.test(m.subject ?? ''),
      );
      expect(await opened(gpg[name], copy)).toContain('WARNING:      Impersonation attempt');
      expect('error' in (await openPgpMime(gpg.attacker, copy!))).toBe(true);
    }
    // Mia's registered key is unchanged: the operator's list still shows it, not the attacker's.
    const listed = runCli(['maintainer', 'list'], env).stdout.replace(/ /g, '');
    expect(listed).toContain(fingerprints.mia);
    expect(listed).not.toContain(fingerprint);
  });
});
