import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { GnuPg, signedMail } from '../support/gnupg';
import {
  pgpFixture,
  startServices,
  stopServices,
  testConfig,
  type Stores,
} from '../support/local-stores';
import { resolvedMaintainer } from '../support/local-project';
import { maildirFiles, readMaildir } from '../support/maildir';
import { SECRET, staticCorpus, type CorpusEntry } from './hostile-corpus';
import { errorMessage } from '../../shared/errors';

const SECURITY = 'security@example.org';
const MAINTAINERS = ['mia@example.org'];

describe('the hostile-input corpus', () => {
  let stores: Stores;
  let services: EmbargoServices;
  let opened: CaseRecord;
  let miaReplyTo = '';
  const mia = new GnuPg(['mia-secret.asc']);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const outcomes = new Map<string, string>();

  // Most of the corpus comes from one sender; it tests each message's outcome, not the flood
  // limits (test/flood/), so those are lifted here.
  const config = {
    ...testConfig,
    maintainers: [resolvedMaintainer('mia')],
    flood: {
      reportsPerAddress: 100_000,
      reportsPerDomain: 100_000,
      followUpsPerAddress: 100_000,
      followUpsPerDomain: 100_000,
      exemptSenders: [],
    },
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    ({ stores, services } = await startServices(config));
    const messageId = 'setup-report';
    await services.rawMail.put(
      messageId,
      Buffer.from(
        'From: Alice <alice@example.net>\r\nTo: security@example.org\r\nSubject: The original report\r\nMessage-ID: <original@example.net>\r\n\r\nbody\r\n',
      ),
    );
    const outcome = await services.intake.receive({
      messageId,
      receivedAt: new Date(),
      envelopeFrom: 'alice@example.net',
      recipients: [SECURITY],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    });
    opened = (await services.cases.get((outcome as { caseId: CaseId }).caseId))!;
    // Every case mail's Reply-To: these entries name the case by its tag.
    miaReplyTo = SECURITY;
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await stopServices(stores, [mia]);
  });

  /** Messages that target the existing case, built once it exists. */
  function threadCorpus(): CorpusEntry[] {
    const tag = `[${opened.id}]`;
    const commandMail = (from: string, extra = '') =>
      Buffer.from(
        `From: ${from}\r\nTo: ${SECURITY}\r\nSubject: Re: ${tag} report\r\nMessage-ID: <${randomBytes(6).toString('hex')}@x>\r\n${extra}\r\n/close invalid\r\n`,
      );
    const spoofed = [
      '"mia@example.org" <attacker@evil.example>',
      'Mia Maintainer <mia@examp1e.org>',
      'mia@example.org.evil.example',
      'mia@exampIe.org',
      '"Mia <mia@example.org>" <attacker@evil.example>',
      'mia+x@example.org',
      'm\u00eda@example.org',
      'MIA@EXAMPLE.ORG.evil.example',
    ];
    const entries: CorpusEntry[] = spoofed.map((from, i) => ({
      name: `spoofed-maintainer-${i}`,
      category: 'lookalike and display-name-spoofed maintainer senders',
      raw: commandMail(from),
      envelopeFrom: /<([^<>]+)>$/.exec(from)?.[1] ?? from,
      expected: { kind: 'case' },
      senderMayGetMail: true,
    }));
    // The maintainer's exact address, unsigned, naming the case by its tag only.
    entries.push({
      name: 'forged-maintainer-address-unsigned',
      category: 'lookalike and display-name-spoofed maintainer senders',
      raw: commandMail('mia@example.org'),
      envelopeFrom: 'mia@example.org',
      expected: { kind: 'follow-up' },
    });

    const signed = signedMail(
      mia,
      {
        from: 'mia@example.org',
        to: miaReplyTo,
        subject: `Re: ${tag}`,
        messageId: '<signed-1@example.org>',
      },
      'Thanks, looking into it.',
    );
    const unsignedFirst = [
      `From: mia@example.org`,
      `To: ${miaReplyTo}`,
      `Subject: Re: ${tag}`,
      'Message-ID: <outside-1@example.org>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      '--outer',
      'Content-Type: text/plain',
      '',
      '/close invalid',
      '--outer',
      signed.slice(signed.indexOf('Content-Type: multipart/signed')),
      '--outer--',
      '',
    ].join('\r\n');
    entries.push({
      name: 'unsigned-commands-beside-signed-part',
      category: 'unsigned text outside a signed part',
      raw: Buffer.from(unsignedFirst),
      envelopeFrom: 'mia@example.org',
      recipients: [miaReplyTo],
      expected: { kind: 'follow-up' },
    });
    const signedCommands = signedMail(
      mia,
      {
        from: 'mia@example.org',
        to: miaReplyTo,
        subject: `Re: ${tag}`,
        messageId: '<cmd-1@example.org>',
      },
      '/severity medium',
    );
    entries.push(
      {
        name: 'signed-command',
        category: 'replayed signed commands',
        raw: Buffer.from(signedCommands),
        envelopeFrom: 'mia@example.org',
        recipients: [miaReplyTo],
        expected: { kind: 'follow-up' },
      },
      {
        name: 'replayed-signed-command',
        category: 'replayed signed commands',
        raw: Buffer.from(
          signedCommands
            .replace('<cmd-1@example.org>', '<cmd-replay@example.org>')
            .replace('/severity medium', '/severity medium'),
        ),
        envelopeFrom: 'mia@example.org',
        recipients: [miaReplyTo],
        expected: { kind: 'follow-up' },
        after: 'signed-command',
      },
    );
    const pgp = (name: string, fixture: string, category: string): CorpusEntry => ({
      name,
      category,
      raw: pgpFixture(fixture),
      envelopeFrom: 'alice@example.net',
      expected: { kind: 'case' },
      senderMayGetMail: true,
    });
    entries.push(
      pgp('compression-bomb', 'compression-bomb.eml', 'PGP compression bombs'),
      pgp('no-mdc', 'no-mdc.eml', 'messages without integrity protection'),
      pgp('pgpmime-secret', 'pgpmime-encrypted.eml', 'encrypted reports'),
      pgp('inline-secret', 'inline-encrypted.eml', 'encrypted reports'),
      pgp('wrong-recipient', 'wrong-recipient.eml', 'encrypted reports'),
      pgp('corrupted', 'corrupted.eml', 'encrypted reports'),
    );
    const hugeArmor = `-----BEGIN PGP PUBLIC KEY BLOCK-----\r\n\r\n${randomBytes(2 * 1024 * 1024)
      .toString('base64')
      .replace(/(.{64})/g, '$1\r\n')}\r\n-----END PGP PUBLIC KEY BLOCK-----`;
    entries.push(
      {
        name: 'absurd-attached-key',
        category: 'keys with absurd sizes',
        raw: Buffer.from(
          `From: Alice <alice@example.net>\r\nTo: ${SECURITY}\r\nSubject: key\r\nMessage-ID: <key-1@example.net>\r\nContent-Type: multipart/mixed; boundary="k"\r\n\r\n--k\r\n\r\nreport\r\n--k\r\nContent-Type: application/pgp-keys\r\n\r\n${hugeArmor}\r\n--k--\r\n`,
        ),
        envelopeFrom: 'alice@example.net',
        expected: { kind: 'case' },
        senderMayGetMail: true,
      },
      {
        name: 'absurd-autocrypt-key',
        category: 'keys with absurd sizes',
        raw: Buffer.from(
          `Autocrypt: addr=alice@example.net; keydata=${randomBytes(30 * 1024).toString('base64')}\r\nFrom: Alice <alice@example.net>\r\nTo: ${SECURITY}\r\nSubject: key\r\nMessage-ID: <key-2@example.net>\r\n\r\nreport\r\n`,
        ),
        envelopeFrom: 'alice@example.net',
        expected: { kind: 'case' },
        senderMayGetMail: true,
      },
    );
    return entries;
  }

  it('has as many messages as docs/hostile-input.md says, each named once', () => {
    const written = staticCorpus();
    const onACase = threadCorpus();
    const all = [...written, ...onACase];
    expect(all.length).toBeGreaterThanOrEqual(200);
    expect(new Set(all.map((e) => e.name)).size).toBe(all.length);
    // The page states the numbers, so that nobody has to count (issue #26 found "over 200"
    // beside a script that writes 190).
    const page = readFileSync(
      join(__dirname, '..', '..', 'docs', 'hostile-input.md'),
      'utf8',
    ).replace(/\s+/g, ' ');
    expect(page).toContain(`a corpus of ${all.length} messages`);
    expect(page).toContain(`${written.length} in \`hostile-corpus.ts\``);
    expect(page).toContain(`and ${onACase.length} that need an open case`);
  });

  it('gives every message its stated outcome: no crash, raw kept, nothing sent to anyone who should not get it, no plaintext leaked', async () => {
    const corpus = [...staticCorpus(), ...threadCorpus()];
    const ids = new Map<string, string>();
    const failures: string[] = [];
    for (const entry of corpus) {
      const before = new Set(maildirFiles(stores.outboxDir));
      const messageId = `corpus-${entry.name}`;
      ids.set(entry.name, messageId);
      await services.rawMail.put(messageId, entry.raw);
      let outcome;
      try {
        outcome = await services.intake.receive({
          messageId,
          receivedAt: new Date(),
          envelopeFrom: entry.envelopeFrom,
          recipients: entry.recipients ?? [SECURITY],
          verdicts: {
            spam: entry.verdicts?.spam ?? 'PASS',
            virus: entry.verdicts?.virus ?? 'PASS',
            dkim: 'GRAY',
            dmarc: entry.verdicts?.dmarc ?? 'GRAY',
          },
        });
      } catch (err) {
        failures.push(`${entry.name}: threw ${errorMessage(err)}`);
        continue;
      }
      outcomes.set(entry.name, outcome.kind);
      const { kind } = entry.expected;
      if (
        outcome.kind !== kind ||
        ('reason' in entry.expected &&
          'reason' in outcome &&
          outcome.reason !== entry.expected.reason)
      ) {
        failures.push(
          `${entry.name}: expected ${JSON.stringify(entry.expected)}, got ${JSON.stringify(outcome)}`,
        );
      }
      if (!(await services.rawMail.get(messageId)).equals(entry.raw))
        failures.push(`${entry.name}: raw message not kept`);
      const sent = await readMaildir(stores.outboxDir, before);
      const allowed = new Set([
        ...MAINTAINERS,
        ...(entry.senderMayGetMail ? [entry.envelopeFrom.toLowerCase()] : []),
        'alice@example.net',
      ]);
      for (const mail of sent) {
        if (!allowed.has(mail.deliveredTo.toLowerCase()))
          failures.push(`${entry.name}: sent mail to ${mail.deliveredTo}`);
        if (mail.raw.includes(SECRET))
          failures.push(
            `${entry.name}: plaintext of an encrypted report in mail to ${mail.deliveredTo}`,
          );
        if (/^Bcc:/im.test(mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'))))
          failures.push(`${entry.name}: injected Bcc header`);
      }
      // A follow-up or a case reaches the maintainers; the check above covers the sender.
      if (!entry.senderMayGetMail && kind !== 'follow-up' && kind !== 'case' && sent.length) {
        failures.push(`${entry.name}: ${kind} message caused ${sent.length} outbound mail(s)`);
      }
    }
    expect(failures).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 600_000);

  it('let no spoofed, unsigned, partially signed or replayed command change the case', async () => {
    const record = (await services.cases.get(opened.id))!;
    expect(record.status).not.toBe('closed');
    // Only the one genuinely signed command applied, once.
    expect(record.severity).toBe('medium');
    expect(record.history.filter((e) => e.type === 'commands-applied')).toHaveLength(1);
    const refusals = record.history
      .filter((e) => e.type === 'commands-refused')
      .map((e) => e.summary);
    expect(refusals.some((s) => s.includes('replay'))).toBe(true);
    expect(
      refusals.some((s) => s.includes('only part of the mail') || s.includes('not signed')),
    ).toBe(true);
  });

  it('records the outcome of the keys with absurd sizes without taking them as reporter keys', async () => {
    for (const name of ['absurd-attached-key', 'absurd-autocrypt-key']) {
      const outcome = (await services.ledger.get(`corpus-${name}`))?.outcome;
      expect(outcome?.kind).toBe('case');
      const record = await services.cases.get((outcome as { caseId: CaseId }).caseId);
      expect(record).toBeDefined();
      expect(record?.reporterKey).toBeUndefined();
    }
  });
});
