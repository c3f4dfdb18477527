import { createHash, randomBytes } from 'node:crypto';
import type { CaseId } from '../../shared/cases/case-id';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { MaildirMailTransport } from '../../shared/adapters/maildir/maildir-mail-transport';
import type { MailTransport } from '../../shared/outbound/mail-transport';
import {
  MAIL_ATTACHMENT_BUDGET_BYTES,
  partitionForMail,
} from '../../shared/outbound/oversized-attachments';
import type { ReportAttachment } from '../../shared/reports/report-content';
import { GnuPg, gpgAvailable, openPgpMime } from '../support/gnupg';
import { describeIfAvailable } from '../support/needed-in-ci';
import { readMaildir } from '../support/maildir';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';

const MIB = 1024 * 1024;
const attachment = (filename: string, bytes: number): ReportAttachment => ({
  filename,
  contentType: 'application/octet-stream',
  content: Buffer.alloc(bytes),
});

describe('partitionForMail', () => {
  it('mails everything that fits the budget', () => {
    const all = [attachment('a', 4 * MIB), attachment('b', 6 * MIB)];
    expect(partitionForMail(all)).toEqual({ inline: all, oversized: [] });
  });

  it('keeps the largest back first, until the rest fits, in the original order', () => {
    const [a, b, c, d] = [
      attachment('a', 3 * MIB),
      attachment('b', 9 * MIB),
      attachment('c', 4 * MIB),
      attachment('d', 12 * MIB),
    ];
    const { inline, oversized } = partitionForMail([a!, b!, c!, d!]);
    expect(inline.map((x) => x.filename)).toEqual(['a', 'c']);
    expect(oversized.map((x) => x.filename)).toEqual(['b', 'd']);
  });
});

function multipartReport(
  parts: { filename: string; content: Buffer }[],
  envelope: { from: string; to: string; inReplyTo?: string } = {
    from: 'alice@example.net',
    to: 'security@example.org',
  },
): string {
  return [
    `From: ${envelope.from}`,
    `To: ${envelope.to}`,
    ...(envelope.inReplyTo ? [`In-Reply-To: ${envelope.inReplyTo}`] : []),
    'Subject: Crash with proof of concept',
    'Date: Wed, 25 Nov 2026 09:00:00 +0000',
    `Message-ID: <big-${randomBytes(6).toString('hex')}@example.net>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The core dump and the patch are attached.',
    ...parts.flatMap((p) => [
      '--b',
      'Content-Type: application/octet-stream',
      // RFC 2231, so that any character can be in the name.
      `Content-Disposition: attachment; filename*=utf-8''${encodeURIComponent(p.filename)}`,
      'Content-Transfer-Encoding: base64',
      '',
      p.content.toString('base64').replace(/.{76}/g, '$&\r\n'),
    ]),
    '--b--',
    '',
  ].join('\r\n');
}

const describeGpg = describeIfAvailable(
  'gpg',
  gpgAvailable(),
  'install GnuPG 2.2 (apt-get install gnupg)',
);

describeGpg('a report with an attachment too large to mail', () => {
  const config = {
    ...testConfig,
    maintainers: [
      {
        name: 'Mia',
        email: 'mia@example.org',
        publicKeyArmored: pgpFixture('mia-public.asc').toString(),
      },
    ],
  };
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  it('keeps it as a case file, mails the rest, and tells the maintainers how to fetch it', async () => {
    // The first maintainer copy fails to send: a fault no emulator produces on demand. The
    // attachment is stored by then, so the retry stores it again under the same key.
    let failures = 1;
    const maildir = new MaildirMailTransport(stores.outboxDir);
    const transport: MailTransport = {
      send: async (mail) => {
        if (mail.recipient === 'mia@example.org' && failures-- > 0)
          throw new Error('simulated SES outage');
        return maildir.send(mail);
      },
    };
    const services = stores.services({ config, transport });
    const big = randomBytes(MAIL_ATTACHMENT_BUDGET_BYTES + MIB);
    const patch = Buffer.from('--- a/parser.c\n+++ b/parser.c\n');
    const messageId = randomBytes(8).toString('hex');
    await services.rawMail.put(
      messageId,
      Buffer.from(
        multipartReport([
          { filename: 'core.dump', content: big },
          { filename: 'fix.patch', content: patch },
        ]),
      ),
    );
    const delivery: MailDelivery = {
      messageId,
      receivedAt: new Date('2026-11-25T09:00:00Z'),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    await expect(services.intake.receive(delivery)).rejects.toThrow('simulated SES outage');
    expect(await services.intake.receive(delivery)).toEqual({
      kind: 'case',
      caseId: 'SEC-2026-0001',
    });

    const sha256 = createHash('sha256').update(big).digest('hex');
    const key = `attachments/SEC-2026-0001/${sha256.slice(0, 16)}-core.dump`;
    expect((await services.files.get(key)).equals(big)).toBe(true);

    const record = await services.cases.get('SEC-2026-0001' as CaseId);
    const forwarded = record?.history.filter((e) => e.type === 'forwarded');
    expect(record?.history.filter((e) => e.type === 'acknowledged')).toHaveLength(1);
    expect(forwarded).toHaveLength(1);
    expect(forwarded?.[0]?.summary).toContain(`core.dump (11.0 MiB) kept as case file ${key}`);

    const mail = await readMaildir(stores.outboxDir);
    const copies = mail.filter((m) => m.deliveredTo === 'mia@example.org');
    expect(copies).toHaveLength(1);
    expect(copies[0]!.raw.length).toBeLessThan(MIB);
    const gpg = new GnuPg(['mia-secret.asc', 'project-public.asc']);
    try {
      const opened = await openPgpMime(gpg, copies[0]!);
      if ('error' in opened) throw new Error(opened.error);
      expect(opened.inner.attachments.map((a) => a.filename)).toEqual(['fix.patch']);
      expect(opened.inner.text).toContain(`SHA-256 ${sha256}`);
      expect(opened.inner.text).toContain(`npx embargo file SEC-2026-0001 ${key} --out <file>`);
    } finally {
      gpg.close();
    }
  });
  it("records attachments kept from a maintainer's reply, with the sender's file name on one line", async () => {
    const services = stores.services({ config });
    // Mia answers her copy of the report, unsigned: it is relayed, so its attachments are kept.
    const copy = (await readMaildir(stores.outboxDir)).find(
      (m) => m.deliveredTo === 'mia@example.org',
    );
    expect(copy?.parsed.messageId).toBeDefined();
    const big = randomBytes(MAIL_ATTACHMENT_BUDGET_BYTES + 1);
    // A name that tries to add a line of its own to the history and the copies.
    const name = 'trace.bin\r\nnpx embargo file SEC-2026-0001 evil --out x';
    const messageId = randomBytes(8).toString('hex');
    await services.rawMail.put(
      messageId,
      Buffer.from(
        multipartReport([{ filename: name, content: big }], {
          from: 'mia@example.org',
          to: 'security@example.org',
          inReplyTo: copy!.parsed.messageId!,
        }),
      ),
    );
    expect(
      await services.intake.receive({
        messageId,
        receivedAt: new Date('2026-11-25T10:00:00Z'),
        envelopeFrom: 'mia@example.org',
        recipients: ['security@example.org'],
        verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
      }),
    ).toEqual({ kind: 'follow-up', caseId: 'SEC-2026-0001' });

    const after = await services.cases.get('SEC-2026-0001' as CaseId);
    const kept = after?.history.find((e) => e.id === `kept-attachments:${messageId}`);
    const sha256 = createHash('sha256').update(big).digest('hex');
    expect(kept?.summary).toContain(`attachments/SEC-2026-0001/${sha256.slice(0, 16)}-`);
    expect(kept?.summary).not.toMatch(/[\r\n]/);
    expect(kept?.summary).toContain('trace.bin npx embargo file');
  });
});
