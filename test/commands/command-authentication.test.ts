import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticateCommands } from '../../shared/commands/command-authentication';
import { clearsignedText } from '../../shared/reports/text-segments';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import type { ReportContent, SignatureCheck } from '../../shared/reports/report-content';
import { OpenPgpMailCrypto } from '../../shared/pgp/openpgp-mail-crypto';
import { PGP_FIXTURES, pgpFixture, testConfig } from '../support/local-stores';

const fingerprints = JSON.parse(
  readFileSync(join(PGP_FIXTURES, 'fingerprints.json'), 'utf8'),
) as Record<string, string>;
const NOW = new Date('2026-11-25T09:00:00Z');
const mia = {
  name: 'Mia',
  email: 'mia@example.org',
  publicKeyArmored: pgpFixture('mia-public.asc').toString(),
};
const crypto = new OpenPgpMailCrypto(() => Promise.reject(new Error('unused')));
const delivery: MailDelivery = {
  messageId: 'm',
  receivedAt: NOW,
  envelopeFrom: 'mia@example.org',
  recipients: [],
  verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
};

const signature = (overrides: Partial<SignatureCheck> = {}): SignatureCheck => ({
  part: 'multipart-signed',
  keyId: 'X',
  fingerprint: fingerprints.mia,
  keyOrigin: 'known',
  verified: true,
  created: '2026-11-25T08:00:00.000Z',
  signatureId: 'abc',
  ...overrides,
});

const content = (signatures: SignatureCheck[], text = '/severity high'): ReportContent => ({
  encryption: 'none',
  text,
  // A signature over one MIME part among others covers no stretch of the joined text.
  segments: [{ text, signatures: signatures.filter((s) => !s.partial) }],
  attachments: [],
  signatures,
  offeredKeys: [],
});

const check = (
  c: ReportContent,
  overrides: Partial<Parameters<typeof authenticateCommands>[0]> = {},
) =>
  authenticateCommands({
    config: testConfig,
    crypto,
    maintainer: mia,
    content: c,
    delivery,
    now: NOW,
    ...overrides,
  });

describe('who may command', () => {
  it("accepts a verified signature by the maintainer's registered key over the whole mail", async () => {
    expect(await check(content([signature()]))).toMatchObject({
      ok: true,
      authentication: { method: 'pgp-signature', fingerprint: fingerprints.mia },
      signedText: '/severity high',
    });
  });

  it.each([
    [
      'an unverified signature',
      [signature({ verified: false, problem: 'bad' })],
      /does not verify/,
    ],
    [
      "another maintainer's key",
      [signature({ fingerprint: fingerprints.max })],
      /not signed with the maintainer's registered key/,
    ],
    [
      'a key offered in the same mail',
      [signature({ keyOrigin: 'offered-in-message' })],
      /not signed/,
    ],
    ['a signature over one part only', [signature({ partial: true })], /covers only part/],
    ['no signature', [], /not signed/],
    [
      'a signature older than the limit',
      [signature({ created: '2026-11-17T08:00:00.000Z' })],
      /older than 7 days/,
    ],
    [
      'a signature dated in the future',
      [signature({ created: '2026-11-26T09:00:00.000Z' })],
      /future/,
    ],
  ])('refuses %s', async (_name, signatures, reason) => {
    const result = await check(content(signatures));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('refuses anyone who is not a configured maintainer', async () => {
    expect(await check(content([signature()]), { maintainer: undefined })).toEqual({
      ok: false,
      reason: 'the sender is not a configured maintainer',
    });
  });

  it('takes commands only from inside a clearsigned block', async () => {
    const block = [
      '-----BEGIN PGP SIGNED MESSAGE-----',
      'Hash: SHA512',
      '',
      '/severity low',
      '- -- dash-escaped line',
      '-----BEGIN PGP SIGNATURE-----',
      'xyz',
      '-----END PGP SIGNATURE-----',
    ].join('\n');
    const clear = signature({ part: 'clearsigned-block' });
    const result = await check({
      ...content([clear], `/close invalid\n${block}`),
      segments: [
        { text: '/close invalid\n', signatures: [] },
        { text: block, signatures: [clear], signedText: clearsignedText(block)! },
      ],
    });
    expect(result).toMatchObject({
      ok: true,
      signedText: '/severity low\n-- dash-escaped line',
      unsignedBeside: true,
    });
    expect(clearsignedText('no block')).toBeUndefined();
  });

  it('takes commands only from the decrypted block of an inline signed message, not the lines around it', async () => {
    const inline = signature({ part: 'encrypted-payload' });
    const result = await check({
      ...content([inline], '/close invalid\nThanks.\n/status'),
      segments: [
        { text: '/close invalid\n', signatures: [] },
        { text: 'Thanks.', signatures: [inline] },
        { text: '\n/status', signatures: [] },
      ],
    });
    expect(result).toMatchObject({ ok: true, signedText: 'Thanks.', unsignedBeside: true });
  });

  it('accepts SES DKIM and DMARC passes only when the switch is on', async () => {
    const passing = {
      ...delivery,
      verdicts: { ...delivery.verdicts, dkim: 'PASS', dmarc: 'PASS' } as const,
    };
    expect((await check(content([]), { delivery: passing })).ok).toBe(false);
    expect(
      await check(content([]), {
        delivery: passing,
        config: { ...testConfig, acceptDkimDmarcCommands: true },
      }),
    ).toMatchObject({ ok: true, authentication: { method: 'dkim-dmarc' } });
    const dmarcFails = { ...passing, verdicts: { ...passing.verdicts, dmarc: 'FAIL' } as const };
    expect(
      (
        await check(content([]), {
          delivery: dmarcFails,
          config: { ...testConfig, acceptDkimDmarcCommands: true },
        })
      ).ok,
    ).toBe(false);
  });
});
