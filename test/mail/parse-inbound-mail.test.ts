import { headersOnly } from '../../shared/mail/mime-entity';
import { parseInboundMail } from '../../shared/mail/parse-inbound-mail';

const body = [
  'From: Mallory <mallory@evil.example>',
  'Subject: a header-like line in the body',
  '',
  'Not a header.',
].join('\r\n');

describe('parseInboundMail', () => {
  it('reads the routing headers: encoded words, folding, threading', async () => {
    const raw = Buffer.from(
      [
        'From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@example.org>',
        'Subject: =?UTF-8?B?w5xiZXJsYXVm?= in',
        '  parser',
        'Message-ID: <m1@example.org>',
        'In-Reply-To: <a@x>',
        'References: <r1@x> <r2@x>',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        body,
        '--b--',
      ].join('\r\n'),
    );
    const mail = await parseInboundMail(raw);
    expect(mail.from).toEqual({ address: 'juergen@example.org', name: 'Jürgen' });
    expect(mail.subject).toBe('Überlauf in parser');
    expect(mail.messageIdHeader).toBe('<m1@example.org>');
    expect(mail.inReplyTo).toBe('<a@x>');
    expect(mail.references).toEqual(['<r1@x>', '<r2@x>']);
    expect(mail.contentType).toBe('multipart/mixed; boundary="b"');
    expect(mail.headers.get('subject')).toBe('=?UTF-8?B?w5xiZXJsYXVm?= in parser');
  });

  it('accepts bare LF line endings', async () => {
    const raw = Buffer.from('From: a@example.org\nSubject: lf\n\n' + body.replace(/\r\n/g, '\n'));
    const mail = await parseInboundMail(raw);
    expect(mail.from?.address).toBe('a@example.org');
    expect(mail.subject).toBe('lf');
  });

  it('treats a message without an empty line as all headers', async () => {
    const mail = await parseInboundMail(Buffer.from('From: b@example.org\r\nSubject: only'));
    expect(mail.from?.address).toBe('b@example.org');
    expect(mail.subject).toBe('only');
  });
});

describe('headersOnly', () => {
  it('keeps the header block and drops the body', () => {
    const raw = Buffer.from('A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore');
    expect(headersOnly(raw).toString()).toBe('A: 1\r\nB: 2\r\n\r\n');
    expect(headersOnly(Buffer.from('A: 1\nB: 2\n\nbody')).toString()).toBe('A: 1\nB: 2\r\n\r\n');
  });
});
