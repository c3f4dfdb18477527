import type { CaseRecord, ReporterKey } from '../cases/case-record';
import type { ReportContent } from '../reports/report-content';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { SenderCheck } from '../reports/received-mail';

/**
 * The first offered key that can be encrypted to and names the reporter's address; none when
 * the sender check refuses keys from this mail (a maintainer's, distributor's or the project's
 * address, or a refused From header).
 */
export async function offeredReporterKey(
  crypto: MailCrypto,
  content: ReportContent,
  address: string,
  check: Pick<SenderCheck, 'keysRefused'> | undefined,
): Promise<ReporterKey | undefined> {
  if (!check || check.keysRefused) return undefined;
  for (const armored of content.offeredKeys) {
    const inspection = await crypto.inspectKey(armored);
    if (!inspection.usable) continue;
    const wanted = address.toLowerCase();
    if (
      inspection.userIds.some(
        (uid) => uid.toLowerCase().includes(`<${wanted}>`) || uid.toLowerCase() === wanted,
      )
    ) {
      return { fingerprint: inspection.fingerprint, armored };
    }
  }
  return undefined;
}

/**
 * Whether a follow-up may replace the case's established reporter key: only when the whole
 * mail (the encrypted payload, or the signed MIME body) is signed with that key. An unsigned
 * mail with the reporter's From and the case tag proves nothing about who sent it, and taking
 * its key would encrypt the maintainers' next answer to whoever wrote it. A maintainer's
 * `/reporter-key` command is the other way to replace it.
 */
export function mayReplaceReporterKey(record: CaseRecord, content: ReportContent): boolean {
  const established = record.reporterKey?.fingerprint.toLowerCase();
  if (!established) return true;
  return content.signatures.some(
    (s) =>
      s.verified &&
      s.keyOrigin !== 'offered-in-message' &&
      !s.partial &&
      (s.part === 'encrypted-payload' || s.part === 'multipart-signed') &&
      s.fingerprint?.toLowerCase() === established,
  );
}

/**
 * The content with only the keys attached in its body, which a signature over the whole mail
 * covers; not an Autocrypt header, which no signature covers and anyone in transit can add.
 */
export function withAttachedKeysOnly(content: ReportContent): ReportContent {
  const offeredKeys = content.attachments
    .filter(
      (a) =>
        /pgp-keys/i.test(a.contentType) ||
        /PGP PUBLIC KEY BLOCK/.test(a.content.toString('latin1', 0, 200)),
    )
    .map((a) => a.content.toString('utf8'));
  return { ...content, offeredKeys };
}
