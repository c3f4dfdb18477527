import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { parseMail } from '../../shared/mail/parse-mail';

const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/.{76}/g, '$&\r\n');

function message(parts: string[], boundary = 'outer'): Buffer {
  return Buffer.from(
    [
      'From: alice@example.net',
      'Subject: report',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      ...parts.flatMap((p) => [`--${boundary}`, p]),
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

const textPart =
  'Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe, see attached.';
const binaryPart = (name: string, bytes: Buffer, extra = '') =>
  `Content-Type: application/octet-stream; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n${extra}\r\n${base64(bytes)}`;

describe('parseMail', () => {
  it('gives what simpleParser gives, with large attachments decoded in one step', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    const small = randomBytes(1000);
    const nested = [
      'Content-Type: multipart/mixed; boundary="inner"',
      '',
      '--inner',
      binaryPart('nested.bin', big.subarray(0, 400_000)),
      '--inner--',
      '',
    ].join('\r\n');
    const raw = message([
      textPart,
      binaryPart('core.dump', big),
      binaryPart('small.bin', small),
      nested,
    ]);
    const ours = await parseMail(raw);
    const theirs = await simpleParser(raw);
    expect(ours.text).toBe('Grüße, see attached.');
    expect(ours.text).toBe(theirs.text);
    expect(ours.subject).toBe(theirs.subject);
    expect(ours.attachments.map((a) => [a.filename, a.contentType, a.size])).toEqual(
      theirs.attachments.map((a) => [a.filename, a.contentType, a.size]),
    );
    ours.attachments.forEach((a, i) =>
      expect(a.content.equals(theirs.attachments[i]!.content)).toBe(true),
    );
    expect(ours.attachments[0]!.content.equals(big)).toBe(true);
    expect(ours.attachments[0]!.headers.has('x-embargo-large-part')).toBe(false);
  });

  it("does not let a sender header claim another part's content", async () => {
    const big = randomBytes(1024 * 1024);
    const small = Buffer.from('just a small file');
    const raw = message([
      textPart,
      binaryPart('big.bin', big),
      binaryPart('small.bin', small, 'X-Embargo-Large-Part: 0123456789abcdef01234567.0\r\n'),
    ]);
    const parsed = await parseMail(raw);
    expect(parsed.attachments.find((a) => a.filename === 'small.bin')?.content.equals(small)).toBe(
      true,
    );
    expect(parsed.attachments.find((a) => a.filename === 'big.bin')?.content.equals(big)).toBe(
      true,
    );
  });

  it('decodes base64 joined from separately padded chunks in full', async () => {
    const first = randomBytes(200_000);
    const second = randomBytes(200_002);
    // Each chunk encoded on its own: the first ends in padding in the middle of the part.
    const joined = `${first.toString('base64')}${second.toString('base64')}`.replace(
      /.{76}/g,
      '$&\r\n',
    );
    const raw = message([
      textPart,
      `Content-Type: application/octet-stream; name="core"\r\nContent-Disposition: attachment; filename="core"\r\nContent-Transfer-Encoding: base64\r\n\r\n${joined}`,
    ]);
    const ours = await parseMail(raw);
    const theirs = await simpleParser(raw);
    expect(ours.attachments[0]!.content.equals(theirs.attachments[0]!.content)).toBe(true);
    expect(ours.attachments[0]!.content.equals(Buffer.concat([first, second]))).toBe(true);
  });

  it('leaves large text bodies to mailparser, for their charset', async () => {
    const text = 'ä'.repeat(300_000);
    const raw = message([
      `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64(Buffer.from(text))}`,
    ]);
    expect((await parseMail(raw)).text).toBe(text);
  });
});
