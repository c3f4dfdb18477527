import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg, openPgpMime, signedMail } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome } from '../support/local-project';
import { PGP_FIXTURES } from '../support/local-stores';
import { headerOf, type DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';
import {
  closeEndToEnd,
  mailsTo as to,
  openAliceCase,
  readOutbox,
  replyToOf,
  startEndToEnd,
} from '../support/e2e-suite';

const SECURITY = 'security@example.org';
const fingerprints = JSON.parse(
  readFileSync(join(PGP_FIXTURES, 'fingerprints.json'), 'utf8'),
) as Record<string, string>;

describe('case threads and maintainer commands over SMTP', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let caseId = '';
  let counter = 0;
  const gpg = {
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    max: new GnuPg(['max-secret.asc', 'project-public.asc']),
    eve: new GnuPg(['eve-secret.asc']),
  };

  const outbox = () => readOutbox(dir);
  const current = (): CaseRecord => JSON.parse(runCli(['case', caseId, '--json'], env).stdout);
  const nextId = () => `<t${++counter}-${Date.now()}@example.test>`;

  const send = (raw: string, to: string, from: string) =>
    sendAndAwaitOutcome(embargo, env, raw, { from, to });

  /** The newest maintainer copy of the case for a maintainer: what they would reply to. */
  async function latestFor(address: string, subject: RegExp): Promise<DeliveredMail> {
    const mails = await waitFor(outbox, (m) =>
      to(m, address).some((x) => subject.test(x.subject ?? '')),
    );
    return to(mails, address)
      .filter((x) => subject.test(x.subject ?? ''))
      .at(-1)!;
  }

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('threads', {
      config: { maintainers: [fixtureMaintainer('mia'), fixtureMaintainer('max')] },
    }));
    caseId = await openAliceCase({ embargo, env }, '<alice-report@example.net>');
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it('lists the maintainers with their key fingerprints', () => {
    const listed = runCli(['maintainer', 'list'], env).stdout.replace(/ /g, '');
    expect(listed).toContain('mia@example.org');
    expect(listed).toContain(fingerprints.mia);
    expect(listed).toContain(fingerprints.max);
  });

  it('gives every party Reply-To the plain address, and each its own Message-ID', async () => {
    const miaCopy = await latestFor('mia@example.org', /New report/);
    const maxCopy = await latestFor('max@example.org', /New report/);
    const ack = to(await outbox(), 'alice@example.net')[0]!;
    expect([miaCopy, maxCopy, ack].map(replyToOf)).toEqual([SECURITY, SECURITY, SECURITY]);
    const ids = [miaCopy, maxCopy, ack].map((m) => m.parsed.messageId ?? '');
    expect(new Set(ids).size).toBe(3);
    // None of them names another's Message-ID: only the report's own.
    for (const mail of [miaCopy, maxCopy, ack]) {
      const named = [mail.parsed.inReplyTo, ...[mail.parsed.references ?? []].flat()];
      expect(named.filter((id) => ids.includes(id ?? ''))).toEqual([]);
    }
    expect(miaCopy.subject).toContain(`[${caseId}]`);
    expect(miaCopy.parsed.inReplyTo).toBe('<alice-report@example.net>');
  });

  it('applies signed commands all at once, confirms them, and relays the text without the maintainer address', async () => {
    const miaCopy = await latestFor('mia@example.org', /New report/);
    const raw = signedMail(
      gpg.mia,
      {
        from: 'Mia <mia@example.org>',
        to: replyToOf(miaCopy),
        subject: `Re: ${miaCopy.subject}`,
        messageId: nextId(),
        inReplyTo: miaCopy.parsed.messageId,
      },
      '/title Heap overflow in the header parser\n/severity high\n/cve CVE-2026-12345\n/disclose 2027-01-20\n\nThanks Alice, we can reproduce it and are working on a fix.\n\n-- \nMia Maintainer <mia@example.org>',
    );
    expect(await send(raw, replyToOf(miaCopy), 'mia@example.org')).toEqual({
      kind: 'follow-up',
      caseId,
    });

    const record = current();
    expect(record).toMatchObject({
      title: 'Heap overflow in the header parser',
      severity: 'high',
      cve: 'CVE-2026-12345',
      status: 'triaged',
    });
    expect(record.disclosureAt).toBe('2027-01-20T00:00:00.000Z');
    const applied = record.history.find((e) => e.type === 'commands-applied');
    expect(applied?.authentication).toEqual({
      method: 'pgp-signature',
      fingerprint: fingerprints.mia,
    });

    const confirmation = await latestFor('mia@example.org', /Commands applied/);
    const opened = await openPgpMime(gpg.mia, confirmation);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain('severity: (unset) → high');
    expect(opened.inner.text).toContain('public disclosure date: 2027-01-20 00:00 UTC');
    // Max is told too: who, what, from → to, with the dates for his calendar.
    const maxConfirmation = await latestFor('max@example.org', /Commands applied/);
    const toMax = await openPgpMime(gpg.max, maxConfirmation);
    if ('error' in toMax) throw new Error(toMax.error);
    expect(toMax.inner.text).toContain(
      `Mia <mia@example.org> (signed mail, key ${fingerprints.mia}) applied commands`,
    );
    expect(toMax.inner.text).toContain('severity: (unset) → high');
    const invite = toMax.inner.attachments.find((a) => a.contentType === 'text/calendar');
    expect(invite?.content.toString()).toContain('DTSTART:20270120T000000Z');

    const relayed = await waitFor(outbox, (m) =>
      to(m, 'alice@example.net').some((x) => x.parsed.text?.includes('Thanks Alice')),
    );
    const toAlice = to(relayed, 'alice@example.net').find((x) =>
      x.parsed.text?.includes('Thanks Alice'),
    )!;
    expect(toAlice.raw).not.toMatch(/mia@example\.org/i);
    expect(toAlice.parsed.from?.value[0]?.address).toBe(SECURITY);
    expect(toAlice.parsed.text).not.toContain('/severity');
    expect(toAlice.parsed.text).toContain('status triaged');
    expect(headerOf(toAlice, 'Subject')).toContain(`[${caseId}]`);
    // Max sees what Mia wrote.
    const maxCopy = await latestFor('max@example.org', /Reply from a maintainer/);
    const forMax = await openPgpMime(gpg.max, maxCopy);
    if ('error' in forMax) throw new Error(forMax.error);
    expect(forMax.inner.text).toContain('Thanks Alice');
  });

  it('refuses the same signed mail again as a replay, changing nothing', async () => {
    const before = current();
    const miaCopy = await latestFor('mia@example.org', /New report/);
    const raw = signedMail(
      gpg.mia,
      {
        from: 'mia@example.org',
        to: replyToOf(miaCopy),
        subject: 'Re: x',
        messageId: nextId(),
        inReplyTo: miaCopy.parsed.messageId!,
      },
      '/severity low',
    );
    expect(await send(raw, replyToOf(miaCopy), 'mia@example.org')).toEqual({
      kind: 'follow-up',
      caseId,
    });
    expect(current().severity).toBe('low');
    // The identical signed body under a new Message-ID: a replay of the signature.
    const replay = raw.replace(/Message-ID: .*/, `Message-ID: ${nextId()}`);
    expect(await send(replay, replyToOf(miaCopy), 'mia@example.org')).toEqual({
      kind: 'follow-up',
      caseId,
    });
    const after = current();
    expect(after.severity).toBe('low');
    expect(after.history.at(-1)).toMatchObject({ type: 'commands-refused' });
    expect(after.history.at(-1)?.summary).toContain('replay');
    expect(before.history.length).toBeLessThan(after.history.length);
  });

  it('refuses unsigned and wrongly signed commands and changes nothing', async () => {
    const miaCopy = await latestFor('mia@example.org', /New report/);
    const unsigned = rawMessage({
      from: 'mia@example.org',
      to: replyToOf(miaCopy),
      subject: 'Re: x',
      body: '/severity critical\n\nshould not apply',
      headers: { 'In-Reply-To': miaCopy.parsed.messageId! },
    });
    await send(unsigned, replyToOf(miaCopy), 'mia@example.org');
    const forged = signedMail(
      gpg.eve,
      {
        from: 'mia@example.org',
        to: replyToOf(miaCopy),
        subject: 'Re: x',
        messageId: nextId(),
        inReplyTo: miaCopy.parsed.messageId!,
      },
      '/close invalid',
    );
    await send(forged, replyToOf(miaCopy), 'mia@example.org');
    const record = current();
    expect(record.severity).toBe('low');
    expect(record.status).toBe('triaged');
    const refusals = record.history.filter((e) => e.type === 'commands-refused');
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(
      to(await outbox(), 'alice@example.net').some((m) => m.raw.includes('should not apply')),
    ).toBe(false);
  });

  it('keeps /internal mail among the maintainers', async () => {
    const miaCopy = await latestFor('mia@example.org', /New report/);
    const raw = signedMail(
      gpg.mia,
      {
        from: 'mia@example.org',
        to: replyToOf(miaCopy),
        subject: 'Re: x',
        messageId: nextId(),
        inReplyTo: miaCopy.parsed.messageId!,
      },
      '/internal\n\nINTERNAL-NOTE: the fix touches the allocator.',
    );
    await send(raw, replyToOf(miaCopy), 'mia@example.org');
    const mails = await outbox();
    expect(to(mails, 'alice@example.net').some((m) => m.raw.includes('INTERNAL-NOTE'))).toBe(false);
    const opened = await Promise.all(
      to(mails, 'max@example.org').map((m) => openPgpMime(gpg.max, m)),
    );
    expect(opened.some((o) => !('error' in o) && o.inner.text?.includes('INTERNAL-NOTE'))).toBe(
      true,
    );
  });

  it('appends a reporter reply to the case and forwards it to the maintainers', async () => {
    const ack = to(await outbox(), 'alice@example.net')[0]!;
    const reply = rawMessage({
      from: 'alice@example.net',
      to: replyToOf(ack),
      subject: `Re: ${ack.subject}`,
      body: 'FOLLOW-UP: it also crashes on 2.x',
      headers: { 'In-Reply-To': ack.parsed.messageId ?? '' },
    });
    expect(await send(reply, replyToOf(ack), 'alice@example.net')).toEqual({
      kind: 'follow-up',
      caseId,
    });
    const copy = await latestFor('mia@example.org', /Follow-up from the reporter/);
    const opened = await openPgpMime(gpg.mia, copy);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain('FOLLOW-UP: it also crashes on 2.x');
  });

  it('refuses commands from the reporter, telling them only that', async () => {
    const ack = to(await outbox(), 'alice@example.net')[0]!;
    const reply = rawMessage({
      from: 'alice@example.net',
      to: replyToOf(ack),
      body: '/close invalid',
      headers: { 'In-Reply-To': ack.parsed.messageId! },
    });
    await send(reply, replyToOf(ack), 'alice@example.net');
    expect(current().status).toBe('triaged');
    const notice = await waitFor(outbox, (m) =>
      to(m, 'alice@example.net').some((x) => /Commands not accepted/.test(x.subject ?? '')),
    );
    const text =
      to(notice, 'alice@example.net').find((x) => /Commands not accepted/.test(x.subject ?? ''))!
        .parsed.text ?? '';
    expect(text.trim()).toBe('Commands are not accepted from alice@example.net.');
  });

  it('opens a new case for a stranger using the case tag, attaching nothing to it', async () => {
    const before = current().history.length;
    const outcome = await send(
      rawMessage({
        from: 'eve@example.net',
        subject: `Re: [${caseId}] more details`,
        body: 'hijack',
      }),
      SECURITY,
      'eve@example.net',
    );
    expect(outcome?.kind).toBe('case');
    expect(outcome).not.toEqual({ kind: 'follow-up', caseId });
    expect(current().history.length).toBe(before);
  });

  it('finds the case from In-Reply-To of mail Embargo sent, for a party', async () => {
    const ack = to(await outbox(), 'alice@example.net')[0]!;
    const reply = rawMessage({
      from: 'alice@example.net',
      subject: 'no tag here',
      body: 'via references',
      headers: {
        'In-Reply-To': ack.parsed.messageId ?? '',
        References: ack.parsed.messageId ?? '',
      },
    });
    expect(await send(reply, SECURITY, 'alice@example.net')).toEqual({ kind: 'follow-up', caseId });
  });

  it('shows the history as a timeline with an intact hash chain', () => {
    const shown = runCli(['case', caseId], env).stdout;
    expect(shown).toContain('hash chain intact');
    expect(shown).toContain('commands-applied');
    expect(shown.replace(/\s+/g, '')).toContain(`pgp-signature${fingerprints.mia}`);
  });
});
