import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { encryptedEnvelope } from '../support/pgp-mime-envelopes';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome } from '../support/local-project';
import type { DeliveredMail } from '../support/maildir';
import {
  closeEndToEnd,
  mailsTo as to,
  openAliceCase,
  readOutbox,
  replyToOf,
  startEndToEnd,
} from '../support/e2e-suite';

const SECURITY = 'security@example.org';

/**
 * Encrypted replies as a mail client makes them with nothing configured: the client encrypts to
 * the key whose user id is the Reply-To address (neomutt's crypt_opportunistic_encrypt,
 * Thunderbird's recipient key lookup), here `gpg --encrypt -r <Reply-To>` with only the project's
 * public key imported, sent as PGP/MIME (RFC 3156) over SMTP.
 */
describe('encrypted replies to the plain security address', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let caseId = '';
  let counter = 0;
  const gpg = {
    // The reporter has no key of their own here: only the project's public key.
    alice: new GnuPg(['project-public.asc']),
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    max: new GnuPg(['max-secret.asc', 'project-public.asc']),
    eve: new GnuPg(['project-public.asc']),
  };

  const outbox = () => readOutbox(dir);
  const current = (): CaseRecord => JSON.parse(runCli(['case', caseId, '--json'], env).stdout);

  async function first(address: string, subject: RegExp): Promise<DeliveredMail> {
    const mails = await waitFor(outbox, (m) =>
      to(m, address).some((x) => subject.test(x.subject ?? '')),
    );
    return to(mails, address).find((x) => subject.test(x.subject ?? ''))!;
  }

  /** What a client sends when it encrypts a reply to `reply`'s Reply-To address. */
  function encryptedReply(
    from: GnuPg,
    headers: { from: string; subject: string; replyingTo: DeliveredMail; messageId?: string },
    text: string,
  ): string {
    const recipient = replyToOf(headers.replyingTo);
    const part = `Content-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`;
    const sealed = from.run(['--armor', '--encrypt', '--recipient', recipient], part);
    if (sealed.status !== 0) throw new Error(`gpg cannot encrypt to ${recipient}`);
    const parent = headers.replyingTo.parsed.messageId!;
    return encryptedEnvelope(
      [
        `From: ${headers.from}`,
        `To: ${recipient}`,
        `Subject: ${headers.subject}`,
        `Message-ID: ${headers.messageId ?? `<r${++counter}-${Date.now()}@example.net>`}`,
        `In-Reply-To: ${parent}`,
        `References: ${[headers.replyingTo.parsed.inReplyTo, parent].filter(Boolean).join(' ')}`,
      ],
      sealed.stdout.toString(),
    );
  }

  const send = (raw: string, from: string) =>
    sendAndAwaitOutcome(embargo, env, raw, { from, to: SECURITY });

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('replies', {
      config: { maintainers: [fixtureMaintainer('mia'), fixtureMaintainer('max')] },
    }));
    caseId = await openAliceCase({ embargo, env }, '<alice-report@example.net>');
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it("puts the project key's own user id in every Reply-To, so a client can encrypt to it", async () => {
    const ack = await first('alice@example.net', /received/);
    const miaCopy = await first('mia@example.org', /New report/);
    expect([replyToOf(ack), replyToOf(miaCopy)]).toEqual([SECURITY, SECURITY]);
    // A client with only the project key finds no key for a `security+token` address.
    const tokenAddress = `security+${caseId.toLowerCase()}-abcdefghijklmnopqrstuvwxyz@example.org`;
    expect(gpg.alice.run(['--encrypt', '--recipient', tokenAddress], 'x').status).not.toBe(0);
  });

  it("adds the reporter's encrypted reply to the acknowledgment to the case", async () => {
    const ack = await first('alice@example.net', /received/);
    const reply = encryptedReply(
      gpg.alice,
      { from: 'Alice <alice@example.net>', subject: 'Re: your acknowledgment', replyingTo: ack },
      'ENCRYPTED-FOLLOW-UP: version 2.x crashes too.',
    );
    expect(await send(reply, 'alice@example.net')).toEqual({ kind: 'follow-up', caseId });
    expect(current().history.at(-2)).toMatchObject({
      type: 'follow-up',
      summary: 'Follow-up from the reporter',
      protection: { encryption: 'pgp-mime' },
    });
    const copy = await first('mia@example.org', /Follow-up from the reporter/);
    const opened = await openPgpMime(gpg.mia, copy);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain('ENCRYPTED-FOLLOW-UP: version 2.x crashes too.');
  });

  it("relays a maintainer's unsigned encrypted reply to their own copy", async () => {
    const miaCopy = await first('mia@example.org', /New report/);
    const reply = encryptedReply(
      gpg.mia,
      { from: 'Mia <mia@example.org>', subject: `Re: ${miaCopy.subject}`, replyingTo: miaCopy },
      'RELAYED: thanks, we can reproduce it.',
    );
    expect(await send(reply, 'mia@example.org')).toEqual({ kind: 'follow-up', caseId });
    const event = current().history.find((e) => e.type === 'maintainer-reply');
    expect(event).toMatchObject({
      summary: expect.stringMatching(/^Reply from a maintainer, relayed to the reporter: /),
      authentication: { method: 'thread-reference' },
    });
    const relayed = await first('alice@example.net', /Reply from the example security team/);
    expect(relayed.parsed.text).toContain('RELAYED: thanks, we can reproduce it.');
    expect(replyToOf(relayed)).toBe(SECURITY);
  });

  it("does not relay a maintainer's unsigned reply citing mail sent to someone else", async () => {
    const maxCopy = await first('max@example.org', /New report/);
    const ack = await first('alice@example.net', /received/);
    for (const [cited, marker] of [
      [maxCopy, 'NOT-RELAYED-MAX'],
      [ack, 'NOT-RELAYED-ACK'],
    ] as const) {
      const reply = encryptedReply(
        gpg.mia,
        { from: 'mia@example.org', subject: `Re: [${caseId}] x`, replyingTo: cited },
        `${marker}: please relay this.`,
      );
      expect(await send(reply, 'mia@example.org')).toEqual({ kind: 'follow-up', caseId });
      expect(current().history.at(-1)?.summary).toMatch(/^Reply from a maintainer, not relayed/);
    }
    const toAlice = to(await outbox(), 'alice@example.net');
    expect(toAlice.some((m) => m.raw.includes('NOT-RELAYED'))).toBe(false);
    await first('mia@example.org', /Your reply was not relayed/);
  });

  it('never takes a stranger who cites a case mail for a party', async () => {
    const ack = await first('alice@example.net', /received/);
    const before = to(await outbox(), 'alice@example.net').length;
    const reply = encryptedReply(
      gpg.eve,
      { from: 'eve@example.net', subject: 'Re: your acknowledgment', replyingTo: ack },
      'STRANGER: let me in.',
    );
    expect(await send(reply, 'eve@example.net')).toEqual({ kind: 'follow-up', caseId });
    expect(current().history.at(-2)).toMatchObject({
      type: 'follow-up',
      actor: 'eve@example.net',
      summary: 'Mail from a non-party',
    });
    expect(to(await outbox(), 'alice@example.net')).toHaveLength(before);
  });

  it("never shows a maintainer a Message-ID sent to the reporter, even as the reporter's own", async () => {
    const ack = await first('alice@example.net', /received/);
    const ackId = ack.parsed.messageId!;
    // The reporter gives their follow-up the acknowledgment's Message-ID as its own.
    const reply = encryptedReply(
      gpg.alice,
      {
        from: 'alice@example.net',
        subject: 'Re: again',
        replyingTo: ack,
        messageId: ackId,
      },
      'SAME-ID: one more detail.',
    );
    expect(await send(reply, 'alice@example.net')).toEqual({ kind: 'follow-up', caseId });
    const opened = await waitFor(
      async () => {
        const copies = to(await outbox(), 'max@example.org');
        const all = await Promise.all(
          copies.map(async (c) => [c, await openPgpMime(gpg.max, c)] as const),
        );
        return all.filter(([, o]) => !('error' in o) && o.inner.text?.includes('SAME-ID'));
      },
      (found) => found.length > 0,
    );
    for (const [copy, inner] of opened) {
      expect(copy.raw.includes(ackId)).toBe(false);
      if ('error' in inner) throw new Error(inner.error);
      expect([inner.inner.inReplyTo, inner.inner.references].flat()).not.toContain(ackId);
    }
  });
});
