import type { EmbargoConfig } from '../../shared/config/embargo-config';
import type { CaseId } from '../../shared/cases/case-id';
import { caseStateLine } from '../../shared/outbound/case-mailer';
import type { CaseRecord } from '../../shared/cases/case-record';
import { buildMaintainerCopy, protectionOf } from '../../shared/outbound/maintainer-copies';
import type { OutboundMessage } from '../../shared/outbound/outbound-message';
import { newReplyToken } from '../../shared/threads/reply-token';
import { replyAddress } from '../../shared/addresses/security-address';
import { parseInboundMail } from '../../shared/mail/parse-inbound-mail';
import { renderMime } from '../../shared/outbound/render-mime';
import { OpenPgpMailCrypto } from '../../shared/pgp/openpgp-mail-crypto';
import { MailReportReader } from '../../shared/reports/mail-report-reader';
import { readProjectKey } from '../../shared/pgp/project-key';
import { fixture, now } from '../support/bench-support';
import type { BenchReport } from '../support/report-messages';

export const BARE_STAGES = ['parse', 'read/decrypt', 'render ×3', 'encrypt+sign ×3'] as const;
export type BareStage = (typeof BARE_STAGES)[number];

export interface BareSample {
  report: BenchReport;
  totalMs: number;
  stages: Record<BareStage, number>;
}

/** A case record with what buildMaintainerCopy and the mailer read; nothing is stored. */
function syntheticRecord(report: BenchReport, index: number, subject: string): CaseRecord {
  const at = new Date().toISOString();
  const id = `SEC-2026-${String(index + 1).padStart(4, '0')}` as CaseId;
  return {
    id,
    status: 'new',
    reporter: { address: report.from },
    subject,
    receivedAt: at,
    ackDueAt: at,
    reportMessageId: `bench${index}`,
    reportMessageIdHeader: report.messageId,
    reporterReplyToken: newReplyToken(id),
    protection: { encryption: 'none', signatures: [] },
    version: 1,
    history: [],
  };
}

/**
 * The work intake does per report that is not I/O, in one process, one report at a time:
 * parse the headers (parseInboundMail), read/decrypt (MailReportReader), then for each
 * maintainer render their copy (renderMime, as MailDispatcher does) and encrypt and sign it
 * (OpenPgpMailCrypto.encryptAndSign). No stores, no SMTP, no files.
 */
export async function runBareWork(
  config: EmbargoConfig,
  warmup: BenchReport[],
  reports: BenchReport[],
  progress: (done: number, total: number) => void,
): Promise<BareSample[]> {
  const projectKey = await readProjectKey(fixture('project-secret.asc'));
  const key = () => Promise.resolve(projectKey);
  const reader = new MailReportReader(key);
  const crypto = new OpenPgpMailCrypto(key);
  const maintainers = config.maintainers.flatMap((m) =>
    m.publicKeyArmored ? [{ ...m, publicKeyArmored: m.publicKeyArmored }] : [],
  );
  const knownKeys = maintainers.map((m) => m.publicKeyArmored);

  const one = async (report: BenchReport, index: number): Promise<BareSample> => {
    const stages: Record<BareStage, number> = {
      parse: 0,
      'read/decrypt': 0,
      'render ×3': 0,
      'encrypt+sign ×3': 0,
    };
    const t0 = now();
    const mail = await parseInboundMail(report.raw);
    const t1 = now();
    const content = await reader.read(report.raw, knownKeys);
    const t2 = now();
    stages.parse = t1 - t0;
    stages['read/decrypt'] = t2 - t1;
    const record = syntheticRecord(report, index, mail.subject);
    record.protection = protectionOf(content);
    for (const maintainer of maintainers) {
      const copy = buildMaintainerCopy({
        record,
        kind: 'report',
        messageId: record.reportMessageId,
        ...(mail.messageIdHeader ? { messageIdHeader: mail.messageIdHeader } : {}),
        sender: report.from,
        subject: mail.subject,
        receivedAt: record.receivedAt,
        content,
      });
      const message: OutboundMessage = {
        idempotencyKey: `${record.id}/${copy.key}/maintainer/${maintainer.email}`,
        from: { address: config.securityAddress, name: `${config.project} security team` },
        to: { address: maintainer.email, name: maintainer.name },
        replyTo: replyAddress(config.securityAddress, newReplyToken(record.id)),
        subject: copy.subject,
        text: `${copy.text}\n\n-- \n${caseStateLine(record)}`,
        ...(copy.attachments ? { attachments: copy.attachments } : {}),
        ...(copy.inReplyTo ? { inReplyTo: copy.inReplyTo, references: [copy.inReplyTo] } : {}),
        autoSubmitted: 'auto-generated',
        caseId: record.id,
        encryptTo: maintainer.publicKeyArmored,
      };
      const r0 = now();
      const rendered = await renderMime(
        message,
        `<bench-${index}-${maintainer.email}>`,
        new Date(),
      );
      const r1 = now();
      await crypto.encryptAndSign(
        rendered,
        maintainer.publicKeyArmored,
        '[SEC-2026-0001] Encrypted message',
      );
      const r2 = now();
      stages['render ×3'] += r1 - r0;
      stages['encrypt+sign ×3'] += r2 - r1;
    }
    return { report, totalMs: now() - t0, stages };
  };

  for (const [i, report] of warmup.entries()) await one(report, 10_000 + i);
  const samples: BareSample[] = [];
  for (const [i, report] of reports.entries()) {
    samples.push(await one(report, i));
    progress(i + 1, reports.length);
  }
  return samples;
}
