import { createHash } from 'node:crypto';
import type { CaseFiles } from '../cases/case-files';
import type { ReportAttachment } from '../reports/report-content';
import { singleLine } from '../mail/single-line';

const MIB = 1024 * 1024;

/**
 * The most attachment bytes one maintainer copy carries. A PGP/MIME copy is about 1.85 times
 * its attachments (base64, then ASCII armor): 10 MiB makes a mail of about 19 MB, under SES's
 * 40 MB sending limit and the 20-25 MB many mail providers accept. It also bounds the memory
 * one copy takes to render and encrypt.
 */
export const MAIL_ATTACHMENT_BUDGET_BYTES = 10 * MIB;

/** Where kept attachments go among the case files. */
export const KEPT_ATTACHMENTS_PREFIX = 'attachments/';

/** An attachment kept with the case instead of being mailed: maintainers fetch it by key. */
export interface KeptAttachment {
  filename: string;
  contentType: string;
  bytes: number;
  sha256: string;
  /** The case-file key, e.g. `attachments/SEC-2026-0001/<sha256 prefix>-<name>`. */
  key: string;
}

/**
 * Which attachments fit in mail: the largest leave first until the rest fit the budget, so
 * that as many as possible still arrive with the copy. Order is kept.
 */
export function partitionForMail(
  attachments: readonly ReportAttachment[],
  budget = MAIL_ATTACHMENT_BUDGET_BYTES,
): { inline: ReportAttachment[]; oversized: ReportAttachment[] } {
  let total = attachments.reduce((sum, a) => sum + a.content.length, 0);
  const leaving = new Set<ReportAttachment>();
  for (const a of [...attachments].sort((x, y) => y.content.length - x.content.length)) {
    if (total <= budget) break;
    leaving.add(a);
    total -= a.content.length;
  }
  return {
    inline: attachments.filter((a) => !leaving.has(a)),
    oversized: attachments.filter((a) => leaving.has(a)),
  };
}

/**
 * Stores attachments as case files. Keyed by content, so a retried intake writes the same keys;
 * under `attachments/`, apart from patches and exports, because they are copies of what the raw
 * message holds and expire with it when raw mail retention is set.
 */
export async function keepAttachments(
  files: CaseFiles,
  caseId: string,
  attachments: readonly ReportAttachment[],
): Promise<KeptAttachment[]> {
  const kept: KeptAttachment[] = [];
  for (const a of attachments) {
    const sha256 = createHash('sha256').update(a.content).digest('hex');
    const safeName = (a.filename || 'attachment').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
    const key = `${KEPT_ATTACHMENTS_PREFIX}${caseId}/${sha256.slice(0, 16)}-${safeName}`;
    await files.put(key, a.content, a.contentType);
    kept.push({
      filename: a.filename,
      contentType: a.contentType,
      bytes: a.content.length,
      sha256,
      key,
    });
  }
  return kept;
}

export function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** The sender's name for a kept attachment, safe to put on a line of a mail or the history. */
function shownName(kept: KeptAttachment): string {
  return singleLine(kept.filename, 100) || '(no name)';
}

/** For the case history: what was kept and under which key. */
export function keptAttachmentsSummary(kept: readonly KeptAttachment[]): string {
  return kept
    .map(
      (k) =>
        `${shownName(k)} (${formatMiB(k.bytes)}) kept as case file ${k.key}, too large to mail`,
    )
    .join('; ');
}

/** Lines for a maintainer copy: what was left out and the command that fetches it. */
export function keptAttachmentLines(caseId: string, kept: readonly KeptAttachment[]): string[] {
  if (!kept.length) return [];
  return [
    `Not attached: too large to send by mail. Kept with the case (encrypted at rest); fetch with`,
    `the Embargo CLI:`,
    ...kept.flatMap((k) => [
      `  ${shownName(k)} (${singleLine(k.contentType, 100)}, ${formatMiB(k.bytes)}, SHA-256 ${k.sha256})`,
      `    npx embargo file ${caseId} ${k.key} --out <file>`,
    ]),
  ];
}

/** Splits attachments for a maintainer copy and keeps the oversized ones with the case. */
export async function attachmentsForMail(
  files: CaseFiles,
  caseId: string,
  attachments: readonly ReportAttachment[],
): Promise<{ inline: ReportAttachment[]; kept: KeptAttachment[] }> {
  const { inline, oversized } = partitionForMail(attachments);
  return { inline, kept: await keepAttachments(files, caseId, oversized) };
}
