import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { deliver } from '../support/deliver';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { encryptedEnvelope } from '../support/pgp-mime-envelopes';
import { resolvedMaintainer } from '../support/local-project';
import {
  pgpFixture,
  startServices,
  stopServices,
  testConfig,
  type Stores,
} from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };
const PROJECT = (JSON.parse(pgpFixture('fingerprints.json').toString()) as Record<string, string>)
  .project!;
const SECRET = 'VICTOR-SECRET-7d1e: the overflow is in parse_header()';
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

/**
 * Issue 25, the REPLY attack ("Re: What's up Johnny?", Müller et al., ACNS 2019): Eve re-sends
 * Victor's captured ciphertext as her own report, hoping a maintainer answers and quotes
 * Victor's plaintext to her. The ciphertext is recognised by its encrypted session key packets
 * (an HMAC of them is kept in the case table) and flagged in the maintainers' copy.
 */
describe('ciphertext received before (issue 25, the REPLY attack)', () => {
  let stores: Stores;
  let services: EmbargoServices;
  const victor = new GnuPg(['project-public.asc']);
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  let n = 0;

  beforeAll(async () => ({ stores, services } = await startServices(config)));
  afterAll(() => stopServices(stores, [victor, mia]));

  function encrypt(text: string): string {
    const out = victor.run(['--armor', '--encrypt', '-r', PROJECT], text);
    if (out.status !== 0) throw new Error(out.stderr.toString());
    return out.stdout.toString();
  }

  const pgpMime = (from: string, armored: string) =>
    encryptedEnvelope(
      [
        `From: ${from}`,
        'To: security@example.org',
        'Subject: ...',
        `Message-ID: <replay-${++n}@example.net>`,
      ],
      armored,
    );

  const inline = (from: string, armored: string) =>
    crlf(
      [
        `From: ${from}`,
        'To: security@example.org',
        'Subject: Security issue',
        `Message-ID: <replay-${++n}@example.net>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Please see my report below.',
        '',
        armored.trim(),
        '',
      ].join('\n'),
    );

  /** Delivers a report; returns its case and the text of Mia's decrypted copy. */
  async function report(raw: string, from: string) {
    const before = new Set((await readMaildir(stores.outboxDir)).map((m) => m.file));
    const outcome = await deliver(services, {
      messageId: `ses-${n}`,
      raw,
      from,
      to: 'security@example.org',
    });
    if (outcome.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const copy = (await readMaildir(stores.outboxDir, before)).find(
      (m) => m.deliveredTo === 'mia@example.org',
    )!;
    const opened = await openPgpMime(mia, copy);
    if ('error' in opened) throw new Error(opened.error);
    const record = (await services.cases.get(outcome.caseId as CaseId))!;
    return { id: record.id, record, text: opened.inner.text ?? '' };
  }

  it.each([
    ['PGP/MIME, replayed as PGP/MIME', pgpMime, pgpMime],
    ['PGP/MIME, replayed inline in a text part', pgpMime, inline],
  ])('flags %s in the copy of the second case, naming the first', async (_label, first, second) => {
    const armored = encrypt(`Content-Type: text/plain\r\n\r\n${SECRET}\r\n`);
    const original = await report(
      first('Victor <victor@example.net>', armored),
      'victor@example.net',
    );
    expect(original.text).toContain(SECRET);
    expect(original.text).not.toContain('already received');

    const replay = await report(second('Eve <eve@evil.example>', armored), 'eve@evil.example');
    expect(replay.text).toContain(
      `WARNING:      This encrypted content was already received in ${original.id}`,
    );
    expect(
      replay.record.history.filter(
        (e) => e.type === 'sender-warning' && e.summary.includes(original.id),
      ),
    ).toHaveLength(1);
  });

  it('does not flag a new encryption of the same text', async () => {
    const text = `Content-Type: text/plain\r\n\r\n${SECRET}\r\n`;
    await report(pgpMime('Victor <victor@example.net>', encrypt(text)), 'victor@example.net');
    const again = await report(
      pgpMime('Victor <victor@example.net>', encrypt(text)),
      'victor@example.net',
    );
    expect(again.text).not.toContain('already received');
  });
});
