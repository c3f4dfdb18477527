import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailReportReader } from '../../shared/reports/mail-report-reader';
import { readProjectKey } from '../../shared/pgp/project-key';
import { describeProtection } from '../../shared/cases/protection-summary';
import { PGP_FIXTURES, pgpFixture } from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';

const MARKER = 'SECRET-MARKER-7f3a';
const fingerprints = JSON.parse(
  readFileSync(join(PGP_FIXTURES, 'fingerprints.json'), 'utf8'),
) as Record<string, string>;
const armored = (name: string) => pgpFixture(name).toString('utf8');

describe('reading reports made by GnuPG', () => {
  const projectKey = readProjectKey(armored('project-secret.asc'));
  const reader = new MailReportReader(() => projectKey);
  const read = (fixture: string, known: string[] = []) => reader.read(pgpFixture(fixture), known);

  it('reads a plain report as it is', async () => {
    const content = await reader.read(
      Buffer.from(rawMessage({ from: 'a@example.net', body: MARKER })),
      [],
    );
    expect(content).toMatchObject({ encryption: 'none', signatures: [], offeredKeys: [] });
    expect(content.text).toContain(MARKER);
  });

  it('decrypts inline PGP', async () => {
    const content = await read('inline-encrypted.eml');
    expect(content.encryption).toBe('pgp-inline');
    expect(content.failure).toBeUndefined();
    expect(content.text).toContain(MARKER);
    expect(content.text).not.toContain('BEGIN PGP MESSAGE');
  });

  it('decrypts PGP/MIME and keeps the inner attachments and the offered key', async () => {
    const content = await read('pgpmime-encrypted.eml');
    expect(content.encryption).toBe('pgp-mime');
    expect(content.text).toContain(MARKER);
    expect(content.attachments.map((a) => a.filename)).toEqual(['fix.patch', 'alice.asc']);
    expect(content.attachments[0]?.content.toString()).toContain('MAX_HEADER');
    expect(content.offeredKeys).toHaveLength(1);
    expect(content.signatures).toEqual([]);
  });

  it('verifies a signature inside encrypted mail against a known key', async () => {
    const content = await read('pgpmime-encrypted-signed.eml', [armored('alice-public.asc')]);
    expect(content.signatures).toEqual([
      {
        part: 'encrypted-payload',
        keyId: expect.any(String),
        fingerprint: fingerprints.alice,
        keyOrigin: 'known',
        verified: true,
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        signatureId: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
  });

  it('marks a signature verified only by a key offered in the same mail as such', async () => {
    const content = await read('pgpmime-encrypted-signed.eml', []);
    expect(content.signatures[0]).toMatchObject({
      verified: true,
      keyOrigin: 'offered-in-message',
    });
  });

  it('verifies PGP/MIME multipart/signed, and fails it when the text was altered', async () => {
    const good = await read('pgpmime-signed.eml', [armored('alice-public.asc')]);
    expect(good.signatures).toEqual([
      expect.objectContaining({
        part: 'multipart-signed',
        verified: true,
        fingerprint: fingerprints.alice,
      }),
    ]);
    const bad = await read('pgpmime-signed-tampered.eml', [armored('alice-public.asc')]);
    expect(bad.signatures).toEqual([
      expect.objectContaining({ part: 'multipart-signed', verified: false }),
    ]);
    expect(bad.signatures[0]?.problem).toMatch(/does not match/);
  });

  it('reports an unknown signer as unverified', async () => {
    const content = await read('pgpmime-signed.eml', [armored('mia-public.asc')]);
    expect(content.signatures).toEqual([
      expect.objectContaining({
        verified: false,
        problem: 'signed by a key Embargo does not know',
      }),
    ]);
  });

  it('verifies a clearsigned block and names it as the only signed part', async () => {
    const content = await read('clearsigned.eml', [armored('alice-public.asc')]);
    expect(content.signatures).toEqual([
      expect.objectContaining({ part: 'clearsigned-block', verified: true }),
    ]);
    expect(content.text).toContain('Unsigned text after the signed block.');
  });

  it('does not extend a multipart/signed signature to an unsigned part beside it', async () => {
    const content = await read('signed-plus-unsigned.eml', [armored('alice-public.asc')]);
    expect(content.signatures).toEqual([
      expect.objectContaining({ part: 'multipart-signed', verified: true, partial: true }),
    ]);
    expect(content.text).toContain('UNSIGNED-ADDITION');
    expect(describeProtection({ encryption: 'none', signatures: content.signatures })[1]).toContain(
      'other parts of the mail are NOT signed',
    );
  });

  it('takes an Autocrypt key only for the From address', async () => {
    expect((await read('autocrypt-plain.eml')).offeredKeys).toHaveLength(1);
    const spoofed = pgpFixture('autocrypt-plain.eml')
      .toString()
      .replace('From: Alice Reporter <alice@example.net>', 'From: eve@example.net');
    expect((await reader.read(Buffer.from(spoofed), [])).offeredKeys).toHaveLength(0);
  });

  it.each([
    ['wrong-recipient.eml', 'not-for-project-key'],
    ['corrupted.eml', 'corrupt'],
    ['no-mdc.eml', 'no-integrity-protection'],
    ['unsupported-cipher.eml', 'unsupported'],
  ])('refuses %s as %s, revealing no content', async (fixture, failure) => {
    const content = await read(fixture);
    expect(content.failure).toBe(failure);
    expect(content.text).toBe('');
    expect(content.attachments).toEqual([]);
  });

  it('stops a compression bomb at the decryption bound', async () => {
    const content = await read('compression-bomb.eml');
    expect(content.encryption).toBe('pgp-inline');
    expect(content.failure).toBe('too-large');
  });

  it('refuses ciphertext larger than the bound before decrypting', async () => {
    const small = new MailReportReader(() => projectKey, 1000);
    expect((await small.read(pgpFixture('pgpmime-encrypted.eml'), [])).failure).toBe('too-large');
  });
});
