import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg, openPgpMime, signedMail } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome } from '../support/local-project';
import { PGP_FIXTURES, pgpFixture } from '../support/local-stores';
import type { DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';
import {
  closeEndToEnd,
  FIXTURE_DISTRIBUTORS,
  readOutbox,
  startEndToEnd,
} from '../support/e2e-suite';

const SECURITY = 'security@example.org';
const DAY = 86_400_000;
const CLIENT_FIXTURES = join(__dirname, '..', 'fixtures', 'clients');
const fingerprints = JSON.parse(
  readFileSync(join(PGP_FIXTURES, 'fingerprints.json'), 'utf8'),
) as Record<string, string>;
const DISTRIBUTORS = FIXTURE_DISTRIBUTORS;

const TITLE = 'Heap overflow in the header parser';
const ADVISORY = 'parse_header copies an oversized header into a fixed buffer';
const VERSIONS = ['2.4.1', '2.3.9'];
const CVE = 'CVE-2026-12345';

/** A whole minute, so that the dates survive formatting. */
const at = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);
const iso = (d: Date) => d.toISOString().replace(/:00\.000Z$/, 'Z');

/** The header section of a delivered mail: everything every mail hop and mailbox index sees. */
const outerHeaders = (mail: DeliveredMail) => mail.raw.split(/\r?\n\r?\n/)[0]!;
const isEncrypted = (mail: DeliveredMail) =>
  /^content-type:\s*multipart\/encrypted/im.test(outerHeaders(mail));

describe('mail from and to the clients people use, over SMTP and read back with GnuPG', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let counter = 0;
  const start = Date.now();
  const disclosure = at(start + 10 * DAY);
  const moved = at(start + 12 * DAY);
  const gpg = {
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    max: new GnuPg(['max-secret.asc', 'project-public.asc']),
    alice: new GnuPg(['alice-secret.asc', 'project-public.asc']),
    debian: new GnuPg(['debian-secret.asc', 'project-public.asc']),
    fedora: new GnuPg(['fedora-secret.asc', 'project-public.asc']),
  };
  const recipients: Record<string, GnuPg> = {
    'mia@example.org': gpg.mia,
    'max@example.org': gpg.max,
    'alice@example.net': gpg.alice,
    [DISTRIBUTORS.debian]: gpg.debian,
    [DISTRIBUTORS.fedora]: gpg.fedora,
  };

  const cli = (...args: string[]) => runCli(args, env);
  const outbox = () => readOutbox(dir);
  const caseOf = (id: string): CaseRecord => JSON.parse(cli('case', id, '--json').stdout);
  const send = (raw: string | Buffer, recipient: string, from: string) =>
    sendAndAwaitOutcome(embargo, env, raw, { from, to: recipient });
  const tick = (when: Date) => expect(cli('tick', '--now', when.toISOString()).status).toBe(0);

  async function copyFor(caseId: string, address: string, subject: RegExp) {
    const mails = await waitFor(outbox, (m) =>
      m.some((x) => x.deliveredTo === address && x.subject.startsWith(`[${caseId}]`)),
    );
    return mails.find(
      (x) =>
        x.deliveredTo === address && x.subject.startsWith(`[${caseId}]`) && subject.test(x.subject),
    );
  }

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('headers', {
      config: {
        project: 'cryptolib',
        maintainers: [
          fixtureMaintainer('mia'),
          fixtureMaintainer('max'),
          { name: 'Nokey', email: 'nokey@example.org', encryptedMail: false },
        ],
        supportedReleases: ['2.4', '2.3'],
        // One reporter sends every client's shape here: more than a day's reports from one sender.
        flood: { reportsPerAddress: 100, reportsPerDomain: 100 },
      },
      timeByTick: true,
      distributors: true,
    }));
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it("opens a Thunderbird report under its protected subject, in the case, the CLI and the maintainers' copies", async () => {
    const raw = readFileSync(join(CLIENT_FIXTURES, 'thunderbird-protected-headers.eml'));
    const outcome = await send(raw, SECURITY, 'alice@example.net');
    if (outcome?.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const caseId = outcome.caseId;
    expect(caseOf(caseId).subject).toBe('Überlauf in parse_header');
    const listed = cli('cases', '--wide').stdout;
    expect(listed).toContain('Überlauf in parse_header');
    expect(listed).not.toMatch(new RegExp(`${caseId}.*\\.\\.\\.`));

    const copy = await copyFor(caseId, 'mia@example.org', /New report/);
    const opened = await openPgpMime(gpg.mia, copy!);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain('Subject:      Überlauf in parse_header');
    expect(opened.inner.text).toContain('From:         Alice Reporter <alice@example.net>');
    expect(opened.inner.text).toContain('SECRET-MARKER-7f3a');
    expect(opened.inner.text).not.toMatch(/^Subject: [^ ]/m);
    expect(opened.inner.attachments).toEqual([]);
  });

  it('drops the legacy-display part of an Enigmail report', async () => {
    const raw = readFileSync(join(CLIENT_FIXTURES, 'enigmail-legacy-display.eml'));
    const outcome = await send(raw, SECURITY, 'alice@example.net');
    if (outcome?.kind !== 'case') throw new Error(JSON.stringify(outcome));
    expect(caseOf(outcome.caseId).subject).toBe('Use after free in the session cache');
    const copy = await copyFor(outcome.caseId, 'max@example.org', /New report/);
    const opened = await openPgpMime(gpg.max, copy!);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.attachments.map((a) => a.contentType)).toEqual([]);
    expect(opened.inner.text).not.toContain('text/rfc822-headers');
  });

  it("keeps a Latin-1 attachment's charset in the maintainers' copies", async () => {
    const raw = readFileSync(join(CLIENT_FIXTURES, 'thunderbird-protected-attachment.eml'));
    const outcome = await send(raw, SECURITY, 'alice@example.net');
    if (outcome?.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const copy = await copyFor(outcome.caseId, 'mia@example.org', /New report/);
    const plaintext = gpg.mia
      .decrypt(/-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(copy!.raw)![0])
      .plaintext.toString('latin1');
    expect(plaintext).toMatch(/Content-Type: text\/plain; charset=iso-8859-1; name=notes\.txt/);
    const opened = await openPgpMime(gpg.mia, copy!);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.attachments[0]!.content.toString('latin1')).toContain('sécurité');
  });

  it('reads an HTML-only Proton Mail report as text and attaches the HTML to the copies', async () => {
    const raw = readFileSync(join(CLIENT_FIXTURES, 'proton-html-only.eml'));
    const outcome = await send(raw, SECURITY, 'alice@proton.example');
    if (outcome?.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const copy = await copyFor(outcome.caseId, 'max@example.org', /New report/);
    const opened = await openPgpMime(gpg.max, copy!);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain('overflows its heap buffer');
    expect(opened.inner.text).toContain('reproducer [https://tracker.example/reproducer]');
    const html = opened.inner.attachments.find((a) => a.filename === 'original-message.html');
    expect(html?.contentType).toBe('text/html');
    expect(html?.content.toString('utf8')).toContain('<div');
  });

  it('tells an S/MIME reporter how to resend, and the maintainers plainly, echoing nothing', async () => {
    const raw = readFileSync(join(CLIENT_FIXTURES, 'smime-enveloped.eml'));
    const outcome = await send(raw, SECURITY, 'alice@example.net');
    if (outcome?.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const record = caseOf(outcome.caseId);
    expect(record.protection).toMatchObject({ encryption: 'smime', failure: 'smime-encrypted' });
    expect(record.history.map((e) => e.type)).toContain('undecryptable');
    const ack = (await copyFor(outcome.caseId, 'alice@example.net', /received/))!;
    const text = ack.parsed.text ?? '';
    expect(text).toContain('encrypted with S/MIME, which we cannot read');
    expect(text.replace(/\s/g, '')).toContain(fingerprints.project);
    expect(text).toContain('unencrypted');
    expect(ack.raw).not.toContain('S/MIME encrypted)');
    const copy = await copyFor(outcome.caseId, 'mia@example.org', /New report/);
    const opened = await openPgpMime(gpg.mia, copy!);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain('Protection:   S/MIME, NOT DECRYPTED');
    expect(opened.inner.text).toContain('encrypted with OpenPGP to the project key or unencrypted');
    expect(opened.inner.attachments).toEqual([]);
  });

  it('reads an opaque-signed S/MIME report and says its signature was not checked', async () => {
    const raw = readFileSync(join(CLIENT_FIXTURES, 'smime-opaque-signed.eml'));
    const outcome = await send(raw, SECURITY, 'alice@example.net');
    if (outcome?.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const copy = await copyFor(outcome.caseId, 'mia@example.org', /New report/);
    const opened = await openPgpMime(gpg.mia, copy!);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain('SECRET-MARKER-7f3a');
    expect(opened.inner.text).toContain(
      'S/MIME signature by a certificate for alice@example.net: NOT CHECKED',
    );
    expect(opened.inner.attachments).toEqual([]);
  });

  // Six mails over SMTP and three `tick` runs: about a minute on a loaded machine.
  it('sends every kind of encrypted case mail with only the case tag and fixed words outside', async () => {
    // A report that offers the reporter's key: mail to the reporter is encrypted from now on.
    const report = await send(
      pgpFixture('pgpmime-encrypted-signed.eml'),
      SECURITY,
      'alice@example.net',
    );
    if (report?.kind !== 'case') throw new Error(JSON.stringify(report));
    const caseId = report.caseId;
    expect(caseOf(caseId).reporterKey?.fingerprint).toBe(fingerprints.alice);
    const miaCopy = (await copyFor(caseId, 'mia@example.org', /New report/))!;
    const miaReplyTo = miaCopy.parsed.replyTo?.value[0]?.address ?? '';
    const ack = (await copyFor(caseId, 'alice@example.net', /received/))!;
    const aliceReplyTo = ack.parsed.replyTo?.value[0]?.address ?? '';

    const command = (body: string) =>
      send(
        signedMail(
          gpg.mia,
          {
            from: 'mia@example.org',
            to: miaReplyTo,
            subject: `Re: ${TITLE}`,
            messageId: `<h${++counter}-${Date.now()}@example.org>`,
            inReplyTo: miaCopy.parsed.messageId!,
          },
          body,
        ),
        miaReplyTo,
        'mia@example.org',
      );
    await command(
      `/title ${TITLE}\n/affected >=2.0, <2.4.1\n/fixed ${VERSIONS.join(', ')}\n/cve ${CVE}\n/advisory\n\n${ADVISORY}.`,
    );
    await command(`/disclose ${iso(disclosure)}`);
    // Commands not applied: an invalid one.
    await command('/disclose not-a-date');
    // Every Reply-To is the plain address, which is the project key's user id.
    expect([miaReplyTo, aliceReplyTo]).toEqual([SECURITY, SECURITY]);
    // A maintainer's unsigned reply to their copy: relayed to the reporter.
    await send(
      rawMessage({
        from: 'mia@example.org',
        to: miaReplyTo,
        subject: `Re: ${TITLE}`,
        body: 'We have a fix for 2.4.1 and will publish on the date.',
        messageId: `<h${++counter}@example.org>`,
        headers: { 'In-Reply-To': miaCopy.parsed.messageId! },
      }),
      miaReplyTo,
      'mia@example.org',
    );
    // The reporter follows up.
    await send(
      rawMessage({
        from: 'Alice <alice@example.net>',
        to: aliceReplyTo,
        subject: `Re: ${TITLE} before 2.4.1`,
        body: 'Thanks; the fix works for me.',
        messageId: `<h${++counter}@example.net>`,
        headers: { 'In-Reply-To': ack.parsed.messageId! },
      }),
      aliceReplyTo,
      'alice@example.net',
    );
    tick(new Date(disclosure.getTime() - 7 * DAY + 60_000));
    await command(`/disclose ${iso(moved)}`);
    tick(new Date(moved.getTime() - 7 * DAY + 60_000));
    tick(new Date(moved.getTime() + 60_000));

    const mails = (await outbox()).filter((m) => m.raw.includes(`X-Embargo-Case: ${caseId}`));
    const encrypted = mails.filter(isEncrypted);
    const forbidden = [
      TITLE,
      'Heap overflow',
      'parse_header',
      ADVISORY,
      ...VERSIONS,
      CVE,
      disclosure.toISOString().slice(0, 10),
      moved.toISOString().slice(0, 10),
      'PGP/MIME report',
      'Advance notice',
      'disclosure',
      'Disclosure',
    ];
    // Every kind of case mail, encrypted or not, to every party and outsider: any mail client
    // encrypts a reply to the project key with no set-up.
    for (const mail of mails)
      expect([mail.deliveredTo, mail.parsed.replyTo?.value.map((v) => v.address)]).toEqual([
        mail.deliveredTo,
        [SECURITY],
      ]);
    const kinds = new Set<string>();
    for (const mail of encrypted) {
      const outer = outerHeaders(mail);
      expect(mail.parsed.subject).toBe(`[${caseId}] Encrypted message`);
      for (const word of forbidden) {
        if (outer.includes(word))
          throw new Error(`"${word}" in the clear-text headers of a mail to ${mail.deliveredTo}`);
      }
      // GnuPG, as the recipient: the real subject is inside, marked as protected headers.
      const opened = await openPgpMime(recipients[mail.deliveredTo]!, mail);
      if ('error' in opened) throw new Error(opened.error);
      expect(opened.validSignatures).toContain(fingerprints.project);
      const inner = recipients[mail.deliveredTo]!.decrypt(
        /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/.exec(mail.raw)![0],
      ).plaintext.toString('utf8');
      expect(inner.split(/\r?\n\r?\n/)[0]).toMatch(/protected-headers="v1"/);
      expect(opened.inner.subject).toBe(mail.subject);
      expect(opened.inner.subject).not.toContain('Encrypted message');
      expect(opened.inner.from?.value[0]?.address).toBe(SECURITY);
      // SES replaces only the outer Message-ID; the protected copy inside keeps Embargo's, which
      // the thread index records too, so a reply citing either finds the case.
      expect(mail.parsed.messageId).toMatch(/@email\.amazonses\.com>$/);
      expect(opened.inner.messageId).toMatch(/^<[0-9a-f]{32}@/);
      kinds.add(`${mail.deliveredTo}: ${opened.inner.subject!.replace(`[${caseId}] `, '')}`);
    }
    const seen = [...kinds].join('\n');
    for (const expected of [
      /^mia@example\.org: New report: .+$/m,
      /^mia@example\.org: Nokey did not receive this case's mail$/m,
      /^alice@example\.net: Your report to the cryptolib security team was received$/m,
      /^mia@example\.org: Commands applied$/m,
      /^mia@example\.org: Commands not applied$/m,
      /^alice@example\.net: Public disclosure planned for /m,
      /^alice@example\.net: Reply from the cryptolib security team$/m,
      /^max@example\.org: Reply from a maintainer: .+$/m,
      /^max@example\.org: Follow-up from the reporter: .+$/m,
      /^security@debian\.example: Advance notice: Heap overflow in the header parser/m,
      /^secalert@fedora\.example: Updated advance notice: Heap overflow in the header parser/m,
      /^mia@example\.org: (Updated advance|Advance) notice sent to 2 distributors$/m,
      /^mia@example\.org: Disclosure day: Heap overflow in the header parser$/m,
    ])
      expect(seen).toMatch(expected);
  }, 180_000);
});
