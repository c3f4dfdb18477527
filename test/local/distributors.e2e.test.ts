import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { encryptedEnvelope } from '../support/pgp-mime-envelopes';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, openCaseOverSmtp, sendAndAwaitOutcome } from '../support/local-project';
import { readMaildir, type DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';
import { closeEndToEnd, FIXTURE_DISTRIBUTORS, startEndToEnd } from '../support/e2e-suite';
import { PGP_FIXTURES } from '../support/local-stores';
import { csafProblems } from '../advisories/csaf-checks';

const SECURITY = 'security@example.org';
const MIA = 'mia@example.org';
const ALICE = 'alice@example.net';
const { debian: DEBIAN, fedora: FEDORA } = FIXTURE_DISTRIBUTORS;
const GENTOO = 'security@gentoo.example';
const ARCH = 'security@arch.example';
const DAY = 86_400_000;

/**
 * Distributors answering on the thread, over SMTP, with GnuPG as each distributor's client:
 * the case goes to the distributors `/distributors` chose, their signed answers are recorded
 * and told to the maintainers alone, and an unsigned "status" from a distributor's address is
 * passed on as unauthenticated and recorded as nothing.
 */
describe('distributors answer on the thread', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let caseId = '';
  let counter = 0;
  const gpg = {
    debian: new GnuPg(['debian-secret.asc', 'project-public.asc']),
    fedora: new GnuPg(['fedora-secret.asc', 'project-public.asc']),
    gentoo: new GnuPg(['project-public.asc']),
    arch: new GnuPg(['project-public.asc']),
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
  };

  const outbox = () => readMaildir(join(dir, 'data', 'outbox'));
  const to = (mails: DeliveredMail[], address: string) =>
    mails.filter((m) => m.deliveredTo === address);
  const current = (): CaseRecord => JSON.parse(runCli(['case', caseId, '--json'], env).stdout);
  const cli = (...args: string[]) => {
    const result = runCli(args, env);
    if (result.status !== 0) throw new Error(result.stderr);
    return result.stdout;
  };

  async function noticeFor(address: string): Promise<DeliveredMail> {
    const mails = await waitFor(outbox, (m) =>
      to(m, address).some((x) => /Advance notice/.test(x.subject ?? '')),
    );
    return to(mails, address).find((x) => /Advance notice/.test(x.subject ?? ''))!;
  }

  /** A reply as a distributor's client makes it: PGP/MIME, signed with its key, encrypted to the project's. */
  function signedEncryptedReply(
    client: GnuPg,
    from: string,
    notice: DeliveredMail,
    text: string,
  ): string {
    const part = `Content-Type: text/plain; charset=utf-8\r\n\r\n${text.replace(/\n/g, '\r\n')}\r\n`;
    const sealed = client.run(
      ['--armor', '--sign', '--encrypt', '--local-user', from, '--recipient', SECURITY],
      part,
    );
    if (sealed.status !== 0) throw new Error(sealed.stderr.toString());
    return encryptedEnvelope(
      [
        `From: ${from}`,
        `To: ${SECURITY}`,
        `Subject: Re: ${notice.subject}`,
        `Message-ID: <d${++counter}-${Date.now()}@distro.example>`,
        `In-Reply-To: ${notice.parsed.messageId}`,
        `References: ${notice.parsed.messageId}`,
      ],
      sealed.stdout.toString(),
    );
  }

  const send = (raw: string, from: string) =>
    sendAndAwaitOutcome(embargo, env, raw, { from, to: SECURITY });

  /** The maintainer's copy about a distributor's mail, decrypted as Mia reads it. */
  async function miaReads(subject: RegExp): Promise<string> {
    const mails = await waitFor(outbox, (m) =>
      to(m, MIA).some((x) => subject.test(x.subject ?? '')),
    );
    const mail = to(mails, MIA).find((x) => subject.test(x.subject ?? ''))!;
    const opened = await openPgpMime(gpg.mia, mail);
    if ('error' in opened) throw new Error(opened.error);
    return opened.inner.text ?? '';
  }

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('distributors', {
      config: { maintainers: [fixtureMaintainer('mia')] },
      distributors: true,
    }));
    // A third distributor, with a key made here as its admin would.
    gpg.gentoo.generate(`Gentoo <${GENTOO}>`);
    const gentooKey = join(dir, 'gentoo.asc');
    writeFileSync(gentooKey, gpg.gentoo.run(['--armor', '--export', GENTOO]).stdout);
    cli('distributor', 'add', GENTOO, '--name', 'Gentoo', '--key', gentooKey);
    // A fourth that wants to be asked first (consent first, its own setting).
    gpg.arch.generate(`Arch <${ARCH}>`);
    const archKey = join(dir, 'arch.asc');
    writeFileSync(archKey, gpg.arch.run(['--armor', '--export', ARCH]).stdout);
    cli(
      'distributor',
      'add',
      ARCH,
      '--name',
      'Arch',
      '--key',
      archKey,
      '--consent',
      'before-details',
    );

    caseId = await openCaseOverSmtp(
      embargo,
      env,
      rawMessage({
        from: `Alice <${ALICE}>`,
        messageId: '<alice-report@example.net>',
        body: 'The parser overflows.',
      }),
      ALICE,
    );
    // Three days away: the advance notice is due at once.
    const date = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
    cli(
      'command',
      caseId,
      '/distributors Debian, fedora, security@arch.example',
      `/disclose ${date}`,
      '/advisory',
      'A heap overflow in the header parser.',
    );
  }, 120_000);

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it('sends the notice to the chosen distributors only, and records each on the case', async () => {
    const debianNotice = await noticeFor(DEBIAN);
    await noticeFor(FEDORA);
    expect(to(await outbox(), GENTOO)).toEqual([]);
    const opened = await openPgpMime(gpg.debian, debianNotice);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain('/status affected|not-affected|fixed');
    expect(
      current()
        .recipients?.map((r) => [r.name, !!r.noticeSent])
        .sort(),
    ).toEqual([
      ['Arch', false],
      ['Debian', true],
      ['Fedora', true],
    ]);
  });

  it('invites Arch without details, and records its signed /decline: no details ever go to it', async () => {
    const mails = await waitFor(outbox, (m) => to(m, ARCH).length > 0);
    const [invitation] = to(mails, ARCH);
    // Arch's key is made here, so its mail is read with its own GnuPG home.
    const opened = await openPgpMime(gpg.arch, invitation!);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.subject).toContain('Invitation to an embargo');
    expect(opened.inner.text).not.toContain('heap overflow');
    await send(signedEncryptedReply(gpg.arch, ARCH, invitation!, '/decline'), ARCH);
    expect(current().recipients!.find((r) => r.name === 'Arch')!.consent!.state).toBe('declined');
    expect(await miaReads(/Arch answered/)).toContain(
      'Arch is declined: no details are sent to it.',
    );
    // Its own confirmation, and nothing with the details.
    const archMails = await waitFor(outbox, (m) => to(m, ARCH).length === 2);
    const subjects = await Promise.all(
      to(archMails, ARCH).map(async (m) => {
        const inner = await openPgpMime(gpg.arch, m);
        if ('error' in inner) throw new Error(inner.error);
        return inner.inner.subject ?? '';
      }),
    );
    expect(subjects.sort()).toEqual([
      expect.stringContaining('Invitation'),
      expect.stringContaining('Your answer was recorded'),
    ]);
  });

  it("records Debian's signed /received and not-affected status, tells the maintainers, and nobody else", async () => {
    const notice = await noticeFor(DEBIAN);
    const before = await outbox();
    const outcome = await send(
      signedEncryptedReply(
        gpg.debian,
        DEBIAN,
        notice,
        '/received\n/status not-affected libfoo2\n\nWe ship only the 1.x branch, DEBIAN-PRIVATE-WORDS.',
      ),
      DEBIAN,
    );
    expect(outcome).toEqual({ kind: 'follow-up', caseId });
    const debian = current().recipients!.find((r) => r.name === 'Debian')!;
    // Confirmed for the round its notice told (notices/notice-round.ts).
    expect(debian).toMatchObject({
      confirmed: { round: debian.noticeSent!.round },
      status: { value: 'not-affected', detail: 'libfoo2' },
      lastWord: { authentication: { method: 'pgp-signature' } },
    });
    const told = await miaReads(/Debian answered/);
    expect(told).toContain('signed with its registered key');
    expect(told).toContain('/status not-affected libfoo2');
    expect(told).toContain('DEBIAN-PRIVATE-WORDS');
    // Debian's words went to the maintainers and, as a confirmation of its own lines, to Debian.
    const seen = new Set(before.map((m) => m.parsed.messageId));
    const after = (await waitFor(outbox, (m) => to(m, DEBIAN).length === 2)).filter(
      (m) => !seen.has(m.parsed.messageId),
    );
    expect(after.map((m) => m.deliveredTo).sort()).toEqual([MIA, DEBIAN]);
  });

  it("records Fedora's date request as a request, with the policy checks, and keeps the date", async () => {
    const notice = await noticeFor(FEDORA);
    const date = current().disclosureAt;
    const requested = new Date(Date.now() + 40 * DAY).toISOString().slice(0, 10);
    await send(
      signedEncryptedReply(
        gpg.fedora,
        FEDORA,
        notice,
        `/received\n/need-date ${requested} our release freeze`,
      ),
      FEDORA,
    );
    const record = current();
    expect(record.disclosureAt).toBe(date);
    expect(record.recipients!.find((r) => r.name === 'Fedora')!.dateRequests).toEqual([
      expect.objectContaining({ date: `${requested}T00:00:00.000Z`, reason: 'our release freeze' }),
    ]);
    const told = await miaReads(/Fedora answered/);
    expect(told).toContain('nothing was changed');
    expect(told).toMatch(/Policy checks it fails:\n +! Distributors would be under embargo for/);
  });

  it("passes on an unsigned status from Debian's address as unauthenticated and records nothing", async () => {
    const notice = await noticeFor(DEBIAN);
    const forged = [
      `From: Debian Security <${DEBIAN}>`,
      `To: ${SECURITY}`,
      `Subject: Re: ${notice.subject}`,
      `Message-ID: <forged-${Date.now()}@attacker.example>`,
      `In-Reply-To: ${notice.parsed.messageId}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      '/status affected',
      '',
      'Actually we are affected, please postpone.',
      '',
    ].join('\r\n');
    await send(forged, DEBIAN);
    const debian = current().recipients!.find((r) => r.name === 'Debian')!;
    expect(debian.status).toMatchObject({ value: 'not-affected' });
    expect(debian.lastWord).toMatchObject({ authentication: { method: 'none' } });
    expect(debian.lastWord!.summary).toMatch(/^NOT authenticated/);
    const told = await miaReads(/UNAUTHENTICATED mail from Debian/);
    expect(told).toContain('nothing in it was taken as an answer');
    expect(told).toContain('/status affected');
  });

  it("never sends a distributor's words to the reporter or another distributor", async () => {
    const mails = await outbox();
    for (const mail of to(mails, ALICE)) {
      expect(mail.raw).not.toContain('DEBIAN-PRIVATE-WORDS');
      expect(mail.raw).not.toContain(DEBIAN);
    }
    // Fedora's mail is encrypted to Fedora: read as Fedora reads it.
    for (const mail of to(mails, FEDORA)) {
      const opened = await openPgpMime(gpg.fedora, mail);
      if ('error' in opened) throw new Error(opened.error);
      expect(opened.inner.text).not.toContain('DEBIAN-PRIVATE-WORDS');
      expect(opened.inner.text).not.toContain(DEBIAN);
      expect(opened.inner.text).not.toContain('Debian');
    }
    expect(to(mails, GENTOO)).toEqual([]);
    // Alice has the acknowledgment and the date, nothing from the distributors.
    const alice = to(mails, ALICE).map((m) => m.subject);
    expect(alice).toHaveLength(2);
    expect(alice).toEqual(
      expect.arrayContaining([
        expect.stringContaining('was received'),
        expect.stringContaining('Public disclosure planned'),
      ]),
    );
  });

  it("names in the public CSAF on D only Debian, which consented, and every signed status in the maintainers' TLP:RED export", async () => {
    // Fedora signs an affected status; Debian (not-affected, above) agrees to be named.
    await send(
      signedEncryptedReply(gpg.fedora, FEDORA, await noticeFor(FEDORA), '/status affected'),
      FEDORA,
    );
    expect(current().recipients!.find((r) => r.name === 'Fedora')!.status).toMatchObject({
      value: 'affected',
    });
    const key = join(PGP_FIXTURES, 'debian-public.asc');
    cli('distributor', 'add', DEBIAN, '--name', 'Debian', '--key', key, '--name-in-public-records');

    const at = new Date(Date.parse(current().disclosureAt!) + 60_000).toISOString();
    cli('tick', '--now', at);
    const mails = await waitFor(outbox, (m) =>
      to(m, MIA).some((x) => /Disclosure day/.test(x.subject ?? '')),
    );
    const opened = await openPgpMime(
      gpg.mia,
      to(mails, MIA).find((x) => /Disclosure day/.test(x.subject ?? ''))!,
    );
    if ('error' in opened) throw new Error(opened.error);
    const attached = opened.inner.attachments.find((a) => a.filename === `${caseId}.csaf.json`)!;
    const published = JSON.parse(attached.content.toString('utf8'));
    const vendors = (doc: { product_tree: { branches: { name: string }[] } }) =>
      doc.product_tree.branches.slice(1).map((b) => b.name);
    expect(vendors(published)).toEqual(['Debian']);
    expect(attached.content.toString('utf8')).not.toContain('Fedora');
    expect(published.vulnerabilities[0].threats).toEqual([
      expect.objectContaining({
        details: 'Debian states that its package is not affected: libfoo2',
      }),
    ]);
    const checklist = (opened.inner.text ?? '').replace(/\s+/g, ' ');
    expect(checklist).toContain('The CSAF names Debian with its signed status');
    expect(checklist).toContain("1 distributor's signed status is left out of it");

    const red = JSON.parse(cli('export', caseId, '--format', 'csaf', '--include-distributors'));
    expect(red.document.distribution.tlp.label).toBe('RED');
    expect(vendors(red).sort()).toEqual(['Debian', 'Fedora']);
    expect(csafProblems([published, red])).toEqual([[], []]);
  }, 120_000);
});
