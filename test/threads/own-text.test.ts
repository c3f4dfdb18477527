import { textFromHtml } from '../../shared/mail/html-body';
import { strayCommandLines } from '../../shared/commands/case-commands';
import { ownText, unseparatedQuote } from '../../shared/threads/own-text';

/**
 * Issue 25, the REPLY attack ("Re: What's up Johnny?", Müller et al., ACNS 2019): a maintainer's
 * answer quotes the copy that holds the reporter's (perhaps someone else's) plaintext. Each
 * client form of quoting below must leave only what the maintainer wrote.
 */
const SECRET = 'SECRET-MARKER-7f3a';
const COPY = [
  'Case:         SEC-2026-0001 (status: new)',
  'From:         eve@example.net',
  '',
  '-'.repeat(72),
  '',
  `The parser overflows: ${SECRET}`,
];

describe("a reply's own text", () => {
  it.each([
    [
      'Thunderbird, bottom-posted under the quote',
      [
        'On 06.12.26 10:00, Example security team wrote:',
        ...COPY.map((l) => `> ${l}`),
        '',
        '/internal',
        'Between us: I think this duplicates SEC-2025-0042.',
      ],
      '/internal\nBetween us: I think this duplicates SEC-2025-0042.',
    ],
    [
      'Gmail, top-posted, its attribution wrapped over two lines',
      [
        'Thanks, we can reproduce it.',
        '',
        'On Sun, Dec 6, 2026 at 10:00 AM Example security team <',
        'security@example.org> wrote:',
        '',
        ...COPY.map((l) => `> ${l}`),
      ],
      'Thanks, we can reproduce it.',
    ],
    [
      'Outlook, -----Original Message----- with an unquoted original',
      [
        'Thanks, we can reproduce it.',
        '',
        '-----Original Message-----',
        'From: Example security team <security@example.org>',
        'Sent: Sunday, December 6, 2026 10:00 AM',
        'To: Mia <mia@example.org>',
        'Subject: [SEC-2026-0001] New report',
        '',
        ...COPY,
      ],
      'Thanks, we can reproduce it.',
    ],
    [
      'Outlook, a rule and a From/Sent/To/Subject block without addresses',
      [
        'Thanks, we can reproduce it.',
        '',
        '________________________________',
        'From: Example security team',
        'Sent: Sunday, December 6, 2026 10:00',
        'To: Maintainer, Mia',
        'Subject: [SEC-2026-0001] New report',
        '',
        ...COPY,
      ],
      'Thanks, we can reproduce it.',
    ],
    [
      'a German Outlook header block with no rule before it',
      [
        'Danke, wir sehen es.',
        '',
        'Von: Example security team',
        'Gesendet: Sonntag, 6. Dezember 2026 10:00',
        'An: Mia',
        'Betreff: [SEC-2026-0001] New report',
        '',
        ...COPY,
      ],
      'Danke, wir sehen es.',
    ],
    [
      'a Gmail forward',
      [
        'See below.',
        '',
        '---------- Forwarded message ---------',
        'From: Example security team <security@example.org>',
        'Date: Sun, Dec 6, 2026 at 10:00 AM',
        ...COPY,
      ],
      'See below.',
    ],
    [
      'an Apple Mail forward',
      ['See below.', '', 'Begin forwarded message:', '', ...COPY],
      'See below.',
    ],
    [
      'answers between quoted lines',
      ['> question?', 'answer.', '> another?', 'second answer.'],
      'answer.\nsecond answer.',
    ],
    [
      'a signature block',
      ['Thanks, we can reproduce it.', '', '-- ', 'Mia Maintainer <mia@example.org>'],
      'Thanks, we can reproduce it.',
    ],
  ])('%s', (_client, lines, expected) => {
    const own = ownText(lines.join('\r\n'));
    expect(own).toBe(expected);
    expect(own).not.toContain(SECRET);
  });

  const html = (body: string) => ownText(textFromHtml(`<html><body>${body}</body></html>`));
  const copyHtml = COPY.map((l) => `<div>${l || '<br>'}</div>`).join('');

  it.each([
    [
      'Gmail HTML (gmail_quote, gmail_attr)',
      `<div dir="ltr">Thanks, we can reproduce it.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Sun, Dec 6, 2026 at 10:00 AM Example security team &lt;<a href="mailto:security@example.org">security@example.org</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">${copyHtml}</blockquote></div>`,
    ],
    [
      'Apple Mail HTML (blockquote type=cite)',
      `<div>Thanks, we can reproduce it.</div><div><br><blockquote type="cite"><div>On 6. Dec 2026, at 10:00, Example security team &lt;security@example.org&gt; wrote:</div><br><div>${copyHtml}</div></blockquote></div>`,
    ],
    [
      'Thunderbird HTML (moz-cite-prefix)',
      `<p>Thanks, we can reproduce it.</p><div class="moz-cite-prefix">On 06.12.26 10:00, Example security team wrote:<br></div><blockquote type="cite" cite="mid:x@example.org">${copyHtml}</blockquote>`,
    ],
    [
      'Outlook on the web HTML (divRplyFwdMsg, unquoted original)',
      `<div>Thanks, we can reproduce it.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif"><b>From:</b> Example security team &lt;security@example.org&gt;<br><b>Sent:</b> Sunday, December 6, 2026 10:00<br><b>To:</b> Mia &lt;mia@example.org&gt;<br><b>Subject:</b> [SEC-2026-0001] New report</font><div>&nbsp;</div></div><div>${copyHtml}</div>`,
    ],
  ])('%s', (_client, body) => {
    const own = html(body);
    expect(own).toBe('Thanks, we can reproduce it.');
    expect(own).not.toContain(SECRET);
  });

  it('leaves text it cannot tell apart from a quote to be named, not relayed', () => {
    // A client that quotes without any mark: the copy's own lines give it away.
    const unmarked = ownText(['Thanks.', '', ...COPY].join('\n'));
    expect(unseparatedQuote(unmarked, [])).toMatch(/copy Embargo sent you/);
    expect(unseparatedQuote('Thanks.\nExample team wrote:\nsecret', [])).toMatch(/attribution/);
    expect(unseparatedQuote('Ask max@example.org.', ['max@example.org'])).toMatch(/address/);
    expect(unseparatedQuote('Thanks, we can reproduce it.', ['max@example.org'])).toBeUndefined();
  });
});

describe('advisory text', () => {
  it('keeps rules and sign-offs when asked to, and still drops quotes', () => {
    const text = [
      'Impact',
      '---',
      'Heap overflow.',
      '',
      'Regards,',
      'the maintainers',
      '',
      'On 06.12.26 10:00, Example security team wrote:',
      '> quoted',
    ].join('\n');
    expect(ownText(text, 'keep')).toBe('Impact\n---\nHeap overflow.\n\nRegards,\nthe maintainers');
    expect(ownText(text)).toBe('Impact');
  });
});

describe('command lines below other text', () => {
  it('are named, so that a mail with them is neither applied nor relayed', () => {
    expect(strayCommandLines('Hi all,\n\n/internal\nBetween us.')).toEqual([
      expect.objectContaining({ line: 3, text: '/internal' }),
    ]);
    // A path or an unknown word after a slash is text.
    expect(strayCommandLines('See /internal/docs and /usr/bin.')).toEqual([]);
  });
});
