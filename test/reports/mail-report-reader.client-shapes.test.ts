import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailReportReader } from '../../shared/reports/mail-report-reader';
import { readProjectKey } from '../../shared/pgp/project-key';
import { describeProtection } from '../../shared/cases/protection-summary';
import { pgpFixture } from '../support/local-stores';

// Fixtures in mail clients' exact shapes, from scripts/make-client-fixtures.ts (sources named there).
const CLIENT_FIXTURES = join(__dirname, '..', 'fixtures', 'clients');
const clientFixture = (name: string) => readFileSync(join(CLIENT_FIXTURES, name));
const MARKER = 'SECRET-MARKER-7f3a';

describe('reading reports as Thunderbird, Enigmail and Proton Mail send them', () => {
  const projectKey = readProjectKey(pgpFixture('project-secret.asc').toString('utf8'));
  const reader = new MailReportReader(() => projectKey);
  const alice = pgpFixture('alice-public.asc').toString('utf8');
  const read = (name: string) => reader.read(clientFixture(name), [alice]);

  it('takes the protected Subject of a Thunderbird report, decoded, and its body', async () => {
    const content = await read('thunderbird-protected-headers.eml');
    expect(content.encryption).toBe('pgp-mime');
    expect(content.protectedHeaders).toEqual({
      subject: 'Überlauf in parse_header',
      from: '"Alice Reporter" <alice@example.net>',
      to: 'security@example.org',
      messageId: '<tb-protected@example.net>',
    });
    expect(content.text).toContain(MARKER);
    expect(content.text).not.toMatch(/^Subject:/m);
    expect(content.attachments).toEqual([]);
    expect(content.signatures).toEqual([
      expect.objectContaining({ part: 'encrypted-payload', verified: true }),
    ]);
  });

  it('keeps the charset of a text attachment', async () => {
    const content = await read('thunderbird-protected-attachment.eml');
    expect(content.protectedHeaders?.subject).toBe('Heap overflow with notes attached');
    expect(content.attachments).toEqual([
      expect.objectContaining({
        filename: 'notes.txt',
        contentType: 'text/plain; charset=iso-8859-1',
      }),
    ]);
    expect(content.attachments[0]!.content.toString('latin1')).toContain('sécurité');
  });

  it.each([
    ['enigmail-legacy-display.eml', 'Use after free in the session cache'],
    ['legacy-display-text-plain.eml', 'Integer overflow in the length check'],
    ['rfc9788-legacy-display.eml', 'Path traversal in the archive reader'],
  ])('drops the legacy-display copy of %s', async (name, subject) => {
    const content = await read(name);
    expect(content.protectedHeaders?.subject).toBe(subject);
    expect(content.text).toContain(MARKER);
    expect(content.text).not.toContain(subject);
    expect(content.text).not.toMatch(/^(Subject|From|To):/m);
    expect(content.attachments).toEqual([]);
  });

  it('takes the protected Subject that neomutt puts on the encrypted text part', async () => {
    const content = await read('neomutt-protected-headers.eml');
    expect(content.protectedHeaders?.subject).toBe('Stack exhaustion in the config parser');
    expect(content.text).toContain(MARKER);
    expect(content.text).not.toContain('Stack exhaustion');
  });

  it('reads no protected headers from a report without them', async () => {
    const content = await reader.read(pgpFixture('pgpmime-encrypted.eml'), []);
    expect(content.protectedHeaders).toBeUndefined();
  });

  it.each(['proton-html-only.eml', 'proton-html-encrypted.eml'])(
    'derives the text of an HTML-only mail (%s) and attaches the HTML, unrendered',
    async (name) => {
      const content = await read(name);
      expect(content.text).toContain('overflows its heap buffer');
      expect(content.text).toContain(MARKER);
      // Links are shown as text; images are not fetched or referenced.
      expect(content.text).toContain('reproducer [https://tracker.example/reproducer]');
      expect(content.text).not.toContain('pixel.gif');
      expect(content.text).not.toContain('<div');
      const html = content.attachments.find((a) => a.filename === 'original-message.html');
      expect(html?.contentType).toBe('text/html; charset=utf-8');
      expect(html?.content.toString('utf8')).toContain(
        '<img src="https://tracker.example/pixel.gif"',
      );
    },
  );

  it('recognises an S/MIME encrypted report and reads nothing of it', async () => {
    const content = await read('smime-enveloped.eml');
    expect(content).toMatchObject({
      encryption: 'smime',
      failure: 'smime-encrypted',
      text: '',
      attachments: [],
      signatures: [],
    });
    expect(describeProtection(content)[0]).toBe(
      'S/MIME, NOT DECRYPTED: it is encrypted with S/MIME, and the project has an OpenPGP key only (no S/MIME certificate)',
    );
  });

  it('extracts the content of an opaque-signed S/MIME report and marks its signature unchecked', async () => {
    const content = await read('smime-opaque-signed.eml');
    expect(content.encryption).toBe('none');
    expect(content.failure).toBeUndefined();
    expect(content.text).toContain(MARKER);
    expect(content.attachments).toEqual([]);
    expect(content.signatures).toEqual([
      expect.objectContaining({
        part: 'smime-signature',
        verified: false,
        certificateSubject: 'alice@example.net',
      }),
    ]);
    expect(describeProtection(content)[1]).toMatch(
      /^S\/MIME signature by a certificate for alice@example\.net: NOT CHECKED/,
    );
  });

  it('reports a detached S/MIME signature as S/MIME, not as an unreadable OpenPGP signature', async () => {
    const content = await read('smime-detached-signed.eml');
    expect(content.text).toContain(MARKER);
    expect(content.signatures).toEqual([
      expect.objectContaining({ part: 'smime-signature', verified: false }),
    ]);
    expect(JSON.stringify(content.signatures)).not.toContain('unreadable signature');
  });
});
