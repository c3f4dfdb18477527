import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, openCaseOverSmtp } from '../support/local-project';
import { PGP_FIXTURES, pgpFixture } from '../support/local-stores';
import type { DeliveredMail } from '../support/maildir';
import { closeEndToEnd, readOutbox, startEndToEnd } from '../support/e2e-suite';

const MARKER = 'SECRET-MARKER-7f3a';
const fingerprints = JSON.parse(
  readFileSync(join(PGP_FIXTURES, 'fingerprints.json'), 'utf8'),
) as Record<string, string>;

describe('PGP end to end over SMTP, read back with GnuPG', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  const gpg = {
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    max: new GnuPg(['max-secret.asc', 'project-public.asc']),
    alice: new GnuPg(['alice-secret.asc', 'project-public.asc']),
    eve: new GnuPg(['eve-secret.asc', 'project-public.asc']),
  };

  const outbox = () => readOutbox(dir);
  const caseOf = (id: string): CaseRecord => JSON.parse(runCli(['case', id, '--json'], env).stdout);

  async function deliver(fixture: string, envelopeFrom: string, rewrite = (s: string) => s) {
    const raw = rewrite(pgpFixture(fixture).toString('latin1'));
    return openCaseOverSmtp(embargo, env, Buffer.from(raw, 'latin1'), envelopeFrom);
  }

  const mailsFor = (mails: DeliveredMail[], caseId: string, to: string, about = '') =>
    mails.filter((m) => m.deliveredTo === to && m.subject?.startsWith(`[${caseId}] ${about}`));
  let signedReportCase = '';

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('pgp', {
      config: {
        maintainers: [
          fixtureMaintainer('mia'),
          fixtureMaintainer('max'),
          { name: 'Nokey', email: 'nokey@example.org', encryptedMail: false },
        ],
      },
    }));
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it('shows the imported project key', () => {
    const shown = runCli(['key', 'show'], env).stdout;
    expect(shown.replace(/ /g, '')).toContain(fingerprints.project);
    expect(shown).toContain('security@example.org');
  });

  it('opens a case for a PGP/MIME encrypted and signed report, with one encrypted copy per maintainer', async () => {
    const caseId = await deliver('pgpmime-encrypted-signed.eml', 'alice@example.net');
    signedReportCase = caseId;
    const mails = await waitFor(
      outbox,
      (m) =>
        mailsFor(m, caseId, 'mia@example.org', 'New report').length +
          mailsFor(m, caseId, 'max@example.org', 'New report').length >=
        2,
    );

    const record = caseOf(caseId);
    expect(record.protection.encryption).toBe('pgp-mime');
    expect(record.protection.failure).toBeUndefined();
    expect(record.protection.signatures).toEqual([
      expect.objectContaining({
        part: 'encrypted-payload',
        fingerprint: fingerprints.alice,
        verified: true,
      }),
    ]);
    expect(record.reporterKey?.fingerprint).toBe(fingerprints.alice);

    for (const [name, mailbox] of [
      ['mia', 'mia@example.org'],
      ['max', 'max@example.org'],
    ] as const) {
      const copies = mailsFor(mails, caseId, mailbox, 'New report');
      expect(copies).toHaveLength(1);
      expect(copies[0]!.raw).not.toContain(MARKER);
      const opened = await openPgpMime(gpg[name], copies[0]!);
      if ('error' in opened) throw new Error(opened.error);
      expect(opened.validSignatures).toContain(fingerprints.project);
      expect(opened.inner.text).toContain(MARKER);
      expect(opened.inner.text).toContain(`Case:         ${caseId}`);
      expect(opened.inner.text).toContain(`signed by key ${fingerprints.alice}`);
      expect(opened.inner.attachments.map((a) => a.filename)).toEqual(
        expect.arrayContaining(['fix.patch', 'alice.asc']),
      );
    }
    // Each copy is for its maintainer alone.
    const miaCopy = mailsFor(mails, caseId, 'mia@example.org', 'New report')[0]!;
    expect('error' in (await openPgpMime(gpg.max, miaCopy))).toBe(true);
  });

  it('encrypts the acknowledgment to the key the reporter sent, and never echoes the report', async () => {
    const mails = await outbox();
    const caseId = signedReportCase;
    const acks = mailsFor(mails, caseId, 'alice@example.net');
    expect(acks).toHaveLength(1);
    const opened = await openPgpMime(gpg.alice, acks[0]!);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.validSignatures).toContain(fingerprints.project);
    expect(opened.inner.text).toContain(caseId);
    expect(opened.inner.text).not.toContain(MARKER);
  });

  it('records a maintainer without a usable key and tells the others, sending that maintainer nothing', async () => {
    const mails = await outbox();
    expect(mails.filter((m) => m.deliveredTo === 'nokey@example.org')).toHaveLength(0);
    const notices = mails.filter((m) => m.subject?.includes('Nokey did not receive'));
    expect(notices.map((m) => m.deliveredTo).sort()).toEqual(
      expect.arrayContaining(['max@example.org', 'mia@example.org']),
    );
    const cases: CaseRecord[] = JSON.parse(runCli(['cases', '--json'], env).stdout);
    expect(
      cases[0]!.history.some(
        (e) => e.type === 'maintainer-key-unusable' && e.summary.includes('nokey@example.org'),
      ),
    ).toBe(true);
  });

  it('keeps an undecryptable report as a case, tells the maintainers why, and gives the reporter the key fingerprint', async () => {
    const caseId = await deliver('wrong-recipient.eml', 'alice@example.net');
    const mails = await waitFor(
      outbox,
      (m) =>
        mailsFor(m, caseId, 'alice@example.net').length === 1 &&
        mailsFor(m, caseId, 'mia@example.org', 'New report').length === 1,
    );
    const record = caseOf(caseId);
    expect(record.protection.failure).toBe('not-for-project-key');
    const ack = mailsFor(mails, caseId, 'alice@example.net')[0]!;
    expect(ack.parsed.text).toContain('We could not decrypt your message');
    expect(ack.parsed.text?.replace(/ /g, '')).toContain(fingerprints.project);
    const notice = await openPgpMime(
      gpg.mia,
      mailsFor(mails, caseId, 'mia@example.org', 'New report')[0]!,
    );
    if ('error' in notice) throw new Error(notice.error);
    expect(notice.inner.text).toContain('encrypted to a key other than the project key');
  });

  it.each([
    ['corrupted.eml', 'corrupt'],
    ['no-mdc.eml', 'no-integrity-protection'],
  ])('refuses to decrypt %s (%s) and still opens a case', async (fixture, failure) => {
    const caseId = await deliver(fixture, 'alice@example.net');
    expect(caseOf(caseId).protection.failure).toBe(failure);
  });

  it("is no decryption oracle: a stranger who forwards a reporter's ciphertext learns nothing", async () => {
    const caseId = await deliver('pgpmime-encrypted.eml', 'eve@example.net', (raw) =>
      raw
        .replace('From: Alice Reporter <alice@example.net>', 'From: Eve <eve@example.net>')
        .replace('<pgpmime-encrypted@', '<eve-forward@'),
    );
    const mails = await waitFor(outbox, (m) => mailsFor(m, caseId, 'eve@example.net').length === 1);
    const toEve = mails.filter((m) => m.deliveredTo === 'eve@example.net');
    for (const mail of toEve) {
      expect(mail.raw).not.toContain(MARKER);
      const opened = await openPgpMime(gpg.eve, mail);
      if (!('error' in opened)) expect(opened.inner.text).not.toContain(MARKER);
    }
    // Alice's key inside the forwarded ciphertext does not name Eve, so it is not taken as hers.
    expect(caseOf(caseId).reporterKey).toBeUndefined();
  });
});
