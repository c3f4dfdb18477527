/**
 * The hostile-input corpus: messages a security inbox must survive, each with the outcome it
 * must end in. Built by code (deterministic: fixed seeds), so the corpus is reviewable here and
 * `npx tsx scripts/write-hostile-corpus.ts <dir>` writes it out as .eml files for other tools.
 */
import fc from 'fast-check';
import type { InboundOutcome } from '../../shared/intake/inbound-ledger';

export type Expected =
  | { kind: 'case' }
  | { kind: 'follow-up' }
  | { kind: 'duplicate' }
  | { kind: 'rejected'; reason: Extract<InboundOutcome, { kind: 'rejected' }>['reason'] }
  | { kind: 'quarantined'; reason: Extract<InboundOutcome, { kind: 'quarantined' }>['reason'] };

export interface CorpusEntry {
  name: string;
  category: string;
  raw: Buffer;
  envelopeFrom: string;
  recipients?: string[];
  verdicts?: { spam?: 'PASS' | 'FAIL'; virus?: 'PASS' | 'FAIL'; dmarc?: 'PASS' | 'FAIL' };
  expected: Expected;
  /** Whether the sender may receive mail from us for this message (acknowledgment or notice). */
  senderMayGetMail?: boolean;
  /** Delivered right after the named entry: for duplicates. */
  after?: string;
}

export const SECRET = 'SECRET-MARKER-7f3a';
const SECURITY = 'security@example.org';

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

let sequence = 0;

function message(input: {
  from?: string | null;
  to?: string;
  subject?: string;
  messageId?: string | null;
  headers?: string[];
  contentType?: string;
  body?: string;
}): string {
  const lines = [...(input.headers ?? [])];
  if (input.from !== null) lines.push(`From: ${input.from ?? 'Alice <alice@example.net>'}`);
  lines.push(`To: ${input.to ?? SECURITY}`);
  lines.push(`Subject: ${input.subject ?? 'Security issue'}`);
  lines.push('Date: Wed, 25 Nov 2026 09:00:00 +0000');
  if (input.messageId !== null)
    lines.push(`Message-ID: ${input.messageId ?? `<corpus-${++sequence}@example.net>`}`);
  lines.push('MIME-Version: 1.0');
  lines.push(`Content-Type: ${input.contentType ?? 'text/plain; charset=utf-8'}`);
  return crlf(`${lines.join('\n')}\n\n${input.body ?? 'The parser overflows.'}\n`);
}

const report = (
  name: string,
  category: string,
  raw: string | Buffer,
  extra: Partial<CorpusEntry> = {},
): CorpusEntry => ({
  name,
  category,
  raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1'),
  envelopeFrom: 'alice@example.net',
  expected: { kind: 'case' },
  senderMayGetMail: true,
  ...extra,
});

const multipart = (messageId?: string) =>
  message({
    subject: 'Multipart report',
    ...(messageId ? { messageId } : {}),
    contentType: 'multipart/mixed; boundary="mp"',
    body: [
      'preamble',
      '--mp',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The parser overflows on long headers.',
      '--mp',
      'Content-Type: application/octet-stream; name="poc.bin"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="poc.bin"',
      '',
      Buffer.alloc(600, 7)
        .toString('base64')
        .replace(/(.{76})/g, '$1\n'),
      '--mp--',
    ].join('\n'),
  });

function truncated(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (let i = 0; i < 60; i++) {
    const bytes = Buffer.from(multipart(`<truncated-${i}@example.net>`), 'latin1');
    const headerEnd = bytes.indexOf('\r\n\r\n') + 4;
    // Cut anywhere in the body: the headers (and so the sender) survive.
    const cut = headerEnd + Math.floor(((bytes.length - headerEnd) * (i + 1)) / 61);
    entries.push(
      report(`truncated-body-${i}`, 'malformed and truncated MIME', bytes.subarray(0, cut)),
    );
  }
  const broken = [
    ['unclosed-boundary', multipart().replace('--mp--', '')],
    [
      'boundary-never-used',
      message({ contentType: 'multipart/mixed; boundary="zzz"', body: 'no parts at all' }),
    ],
    [
      'boundary-missing',
      message({ contentType: 'multipart/mixed', body: '--x\r\n\r\nhello\r\n--x--' }),
    ],
    ['empty-body', message({ body: '' })],
    ['no-header-separator', 'From: alice@example.net\r\nSubject: x\r\nTo: security@example.org'],
    ['lf-only-line-endings', multipart().replace(/\r\n/g, '\n')],
    ['cr-only-line-endings', multipart().replace(/\r\n/g, '\r')],
    [
      'nested-unclosed',
      message({
        contentType: 'multipart/mixed; boundary="a"',
        body: '--a\r\nContent-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\n\r\nx',
      }),
    ],
    [
      'duplicate-content-type',
      message({ headers: ['Content-Type: multipart/mixed; boundary="q"'], body: 'x' }),
    ],
    [
      'bad-content-transfer-encoding',
      message({ headers: ['Content-Transfer-Encoding: x-unknown'], body: 'x' }),
    ],
  ] as const;
  for (const [name, raw] of broken) {
    // With bare CRs there are no lines: the From header runs on into the rest of the message,
    // so it is refused: a case, with nothing sent to the sender.
    const unreadable = name === 'cr-only-line-endings';
    entries.push(
      report(
        name,
        'malformed and truncated MIME',
        raw,
        unreadable ? { expected: { kind: 'case' }, senderMayGetMail: false } : {},
      ),
    );
  }
  return entries;
}

function encodings(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const bodies = [
    ['base64-garbage', 'base64', '!!!!not base64 at all ####'],
    [
      'base64-truncated',
      'base64',
      Buffer.from('The parser overflows.').toString('base64').slice(0, 7),
    ],
    ['base64-bad-padding', 'base64', 'VGhlIHBh===cnNlcg'],
    ['base64-whitespace', 'base64', 'VGhl IHBh\r\ncn Nl cg=='],
    ['base64-binary-junk', 'base64', '\u0000\u0001\u00ff\u00fe'],
    ['qp-broken-escape', 'quoted-printable', 'The =ZZ parser =4 overflows='],
    ['qp-soft-break-at-end', 'quoted-printable', 'The parser=\r\n'],
    ['qp-long-lines', 'quoted-printable', 'x'.repeat(5000)],
    ['qp-null-bytes', 'quoted-printable', '=00=00=00 parser'],
    ['qp-8bit-mixed', 'quoted-printable', 'caf\u00e9 =C3=A9 parser'],
  ] as const;
  for (const [name, cte, body] of bodies) {
    entries.push(
      report(
        name,
        'broken base64 and quoted-printable',
        message({ headers: [`Content-Transfer-Encoding: ${cte}`], body }),
      ),
    );
  }
  const charsets = [
    'x-unknown-charset',
    'utf-7',
    'iso-2022-jp',
    'utf-16',
    'utf-32',
    '',
    'utf8; format=flowed',
    '"utf-8',
    'windows-1252\u0000',
    'us-ascii',
    'koi8-r',
    'gb18030',
  ];
  charsets.forEach((charset, i) => {
    // The declared charset does not match the bytes (UTF-8 text, or Latin-1 bytes).
    const body =
      i % 2
        ? 'caf\u00c3\u00a9 \u00e2\u0080\u0094 parser'
        : 'caf\u00e9 na\u00efve parser \u00ff\u00fe';
    entries.push(
      report(
        `charset-${i}`,
        'unknown and lying charsets',
        message({ contentType: `text/plain; charset=${charset}`, body }),
      ),
    );
  });
  return entries;
}

function headers(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const eightBit = [
    'Subject: caf\u00e9 \u00fcber na\u00efve',
    'Subject: \u00c3\u00a9\u00c3\u00a8 raw utf-8 bytes',
    'Subject: =?utf-8?B?invalid base64?=',
    'Subject: =?x-unknown?Q?caf=E9?=',
    'Subject: =?utf-8?Q?unterminated',
    'X-Note: \u00ff\u00fe\u00fd',
  ];
  eightBit.forEach((header, i) =>
    entries.push(
      report(
        `8bit-header-${i}`,
        '8-bit headers',
        message({ headers: [header], subject: undefined }).replace(
          'Subject: Security issue\r\n',
          '',
        ),
      ),
    ),
  );
  const names = [
    'J\u00fcrgen M\u00fcller <juergen@example.net>',
    '"\u00c9lodie" <elodie@example.net>',
    '=?utf-8?B?w4lsb2RpZQ==?= <elodie2@example.net>',
    '\u00ff\u00fe <weird@example.net>',
  ];
  names.forEach((from, i) =>
    entries.push(
      report(`8bit-from-${i}`, '8-bit headers', message({ from }), {
        envelopeFrom: /<(.+)>/.exec(from)![1]!,
      }),
    ),
  );
  entries.push(
    report(
      'header-150kb',
      'headers over 100 KB',
      message({ headers: [`X-Long: ${'a'.repeat(150 * 1024)}`] }),
      {
        expected: { kind: 'quarantined', reason: 'headers-too-large' },
        senderMayGetMail: false,
      },
    ),
    report(
      'many-headers-120kb',
      'headers over 100 KB',
      message({ headers: Array.from({ length: 3000 }, (_, i) => `X-H${i}: ${'v'.repeat(35)}`) }),
      {
        expected: { kind: 'quarantined', reason: 'headers-too-large' },
        senderMayGetMail: false,
      },
    ),
    report(
      'folded-header-110kb',
      'headers over 100 KB',
      message({ headers: [`X-Folded: start${'\r\n folded'.repeat(14000)}`] }),
      {
        expected: { kind: 'quarantined', reason: 'headers-too-large' },
        senderMayGetMail: false,
      },
    ),
  );
  return entries;
}

function structure(): CorpusEntry[] {
  let parts = '';
  for (let i = 0; i < 10_000; i++) parts += `--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`;
  let nested = 'innermost';
  for (let i = 999; i >= 0; i--)
    nested = `Content-Type: multipart/mixed; boundary="n${i}"\r\n\r\n--n${i}\r\n${nested}\r\n--n${i}--`;
  const head =
    'From: Alice <alice@example.net>\r\nTo: security@example.org\r\nSubject: deep\r\nMessage-ID: <deep@example.net>\r\nMIME-Version: 1.0\r\n';
  const attachment = Buffer.alloc(30 * 1024 * 1024, 0x41)
    .toString('base64')
    .replace(/(.{76})/g, '$1\r\n');
  // 2,000 addresses keep the header block under the 64 KB quarantine bound, so the reply path runs.
  const manyRecipients = Array.from({ length: 2000 }, (_, i) => `v${i}@example.com`).join(', ');
  return [
    report(
      '10000-parts',
      '10,000-part multipart',
      message({ contentType: 'multipart/mixed; boundary="p"', body: `${parts}--p--` }),
      {
        expected: { kind: 'quarantined', reason: 'too-many-parts' },
        senderMayGetMail: false,
      },
    ),
    report('1000-levels', '1,000-level nested multipart', `${head}${nested}\r\n`, {
      expected: { kind: 'quarantined', reason: 'mime-too-deep' },
      senderMayGetMail: false,
    }),
    report(
      '30mb-attachment',
      '30 MB attachment',
      message({
        contentType: 'multipart/mixed; boundary="big"',
        body: `--big\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--big\r\nContent-Type: application/octet-stream; name="dump.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--big--`,
      }),
    ),
    report('2000-to-recipients', 'thousands of recipients', message({ to: manyRecipients })),
    report(
      '2000-cc-recipients',
      'thousands of recipients',
      message({ headers: [`Cc: ${manyRecipients}`] }),
    ),
    report('5000-envelope-recipients', 'thousands of recipients', message({}), {
      recipients: [
        SECURITY,
        ...Array.from({ length: 5000 }, (_, i) => `security+guess${i}@example.org`),
      ],
    }),
  ];
}

function identity(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (let i = 0; i < 6; i++) {
    entries.push(
      report(
        `no-message-id-${i}`,
        'missing Message-ID',
        message({ messageId: null, subject: `no id ${i}` }),
      ),
    );
  }
  for (let i = 0; i < 6; i++) {
    const raw = message({ messageId: `<dup-${i}@example.net>`, subject: `dup ${i}` });
    entries.push(report(`dup-first-${i}`, 'duplicate Message-ID', raw));
    entries.push(
      report(`dup-second-${i}`, 'duplicate Message-ID', raw, {
        expected: { kind: 'duplicate' },
        senderMayGetMail: false,
        after: `dup-first-${i}`,
      }),
    );
  }
  // The same Message-ID from someone else is not the same mail.
  entries.push(
    report(
      'dup-other-sender',
      'duplicate Message-ID',
      message({ from: 'bob@example.net', messageId: '<dup-0@example.net>' }),
      { envelopeFrom: 'bob@example.net' },
    ),
  );
  return entries;
}

function injection(): CorpusEntry[] {
  const attempts = [
    'Subject: hi\r\nBcc: victim@example.com',
    'Subject: hi\nBcc: victim@example.com',
    'Subject: hi\rBcc: victim@example.com',
    'Subject: =?utf-8?Q?hi=0D=0ABcc:_victim@example.com?=',
    'Subject: =?utf-8?B?aGkNCkJjYzogdmljdGltQGV4YW1wbGUuY29t?=',
  ];
  const entries = attempts.map((subject, i) =>
    report(
      `crlf-subject-${i}`,
      'CRLF injection in subjects and names',
      message({ subject: undefined, headers: [subject] }).replace(
        'Subject: Security issue\r\n',
        '',
      ),
    ),
  );
  const names = [
    '"Alice\r\nBcc: victim@example.com" <alice@example.net>',
    '=?utf-8?Q?Alice=0D=0ABcc:_victim@example.com?= <alice@example.net>',
    '=?utf-8?B?QWxpY2UNCkJjYzogdmljdGltQGV4YW1wbGUuY29t?= <alice@example.net>',
    '"Alice\u0000Null" <alice@example.net>',
    '"Alice\\"\r\nTo: victim@example.com" <alice@example.net>',
  ];
  // A line break inside the From header (or an encoded word with one) fails the strict From
  // check: a case, kept, with nothing sent to the sender.
  const breaksFrom = [0, 1, 4];
  names.forEach((from, i) =>
    entries.push(
      report(
        `crlf-name-${i}`,
        'CRLF injection in subjects and names',
        message({ from }),
        breaksFrom.includes(i) ? { expected: { kind: 'case' }, senderMayGetMail: false } : {},
      ),
    ),
  );
  return entries;
}

function automatic(): CorpusEntry[] {
  const loops = [
    ['Auto-Submitted: auto-replied'],
    ['Auto-Submitted: auto-generated'],
    ['Auto-Submitted: auto-notified'],
    ['AUTO-SUBMITTED: Auto-Replied'],
    ['X-Autoreply: yes'],
    ['X-Autorespond: yes'],
    ['X-Auto-Response-Suppress: All'],
    ['Precedence: bulk'],
    ['Precedence: junk'],
    ['Precedence: list'],
    ['List-Id: <dev.example.net>'],
    ['List-Unsubscribe: <mailto:unsubscribe@example.net>'],
    ['List-Post: <mailto:dev@example.net>'],
  ];
  const entries = loops.map((h, i) => {
    const reason = /Precedence|List-/.test(h[0]!) ? 'bulk-or-list' : 'auto-submitted';
    return report(
      `auto-${i}`,
      'auto-replies from other systems (loops)',
      message({ headers: h, subject: 'Out of office: [SEC-2026-0001] Your report was received' }),
      {
        expected: { kind: 'rejected', reason },
        senderMayGetMail: false,
      },
    );
  });
  const bounces: [string, Partial<CorpusEntry>][] = [
    [
      message({
        from: 'MAILER-DAEMON@mx.example.net',
        subject: 'Undelivered Mail Returned to Sender',
      }),
      { envelopeFrom: '' },
    ],
    [message({ from: 'postmaster@mx.example.net' }), { envelopeFrom: '<>' }],
    [
      message({ from: 'Mail Delivery System <MAILER-DAEMON@mx.example.net>' }),
      { envelopeFrom: 'MAILER-DAEMON@mx.example.net' },
    ],
    [
      message({
        from: 'postmaster@mx.example.net',
        contentType: 'multipart/report; report-type=delivery-status; boundary="r"',
        body: '--r\r\n\r\nfailed\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n--r--',
      }),
      { envelopeFrom: 'postmaster@mx.example.net' },
    ],
    [
      message({
        from: 'bounces@ses.example.net',
        contentType: 'multipart/report; report-type="delivery-status"; boundary=r',
        body: '--r--',
      }),
      { envelopeFrom: 'bounces@ses.example.net' },
    ],
  ];
  bounces.forEach(([raw, extra], i) =>
    entries.push(
      report(`bounce-${i}`, 'bounces', raw, {
        expected: { kind: 'rejected', reason: 'bounce' },
        senderMayGetMail: false,
        ...extra,
      }),
    ),
  );
  entries.push(
    report('from-security', 'loops', message({ from: SECURITY }), {
      envelopeFrom: SECURITY,
      expected: { kind: 'rejected', reason: 'from-security-address' },
      senderMayGetMail: false,
    }),
    report('from-security-plus', 'loops', message({ from: 'security+abc@example.org' }), {
      envelopeFrom: 'security+abc@example.org',
      expected: { kind: 'rejected', reason: 'from-security-address' },
      senderMayGetMail: false,
    }),
    report('virus', 'receiving verdicts', message({}), {
      verdicts: { virus: 'FAIL' },
      expected: { kind: 'rejected', reason: 'virus' },
      senderMayGetMail: false,
    }),
    report('spam', 'receiving verdicts', message({}), {
      verdicts: { spam: 'FAIL' },
      expected: { kind: 'rejected', reason: 'spam' },
      senderMayGetMail: false,
    }),
    // The From domain's own policy says this From line is forged: a case for the maintainers,
    // but no acknowledgment to an address that never wrote (it waits for /ack).
    report('dmarc-fail', 'receiving verdicts', message({ from: 'Victim <victim@example.net>' }), {
      envelopeFrom: 'victim@example.net',
      verdicts: { dmarc: 'FAIL' },
      expected: { kind: 'case' },
      senderMayGetMail: false,
    }),
    report('no-from', 'no sender', message({ from: null }), {
      envelopeFrom: 'someone@example.net',
      expected: { kind: 'rejected', reason: 'no-sender' },
      senderMayGetMail: false,
    }),
    // A From header that is there but not a single mailbox opens a case without acknowledgment.
    report('from-group-syntax', 'no sender', message({ from: 'undisclosed-recipients:;' }), {
      envelopeFrom: 'someone@example.net',
      expected: { kind: 'case' },
      senderMayGetMail: false,
    }),
  );
  return entries;
}

/** Seeded random bytes: fast-check's generator with a fixed seed, so the corpus never changes. */
function garbage(): CorpusEntry[] {
  const blobs = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 4096 }), {
    seed: 20261125,
    numRuns: 25,
  });
  return blobs.map((bytes, i) =>
    report(`random-bytes-${i}`, 'random bytes', Buffer.from(bytes), {
      envelopeFrom: 'noise@example.net',
      expected: { kind: 'rejected', reason: 'no-sender' },
      senderMayGetMail: false,
    }),
  );
}

/** Messages that need no case to exist first. */
export function staticCorpus(): CorpusEntry[] {
  return [
    ...truncated(),
    ...encodings(),
    ...headers(),
    ...structure(),
    ...identity(),
    ...injection(),
    ...automatic(),
    ...garbage(),
  ];
}
