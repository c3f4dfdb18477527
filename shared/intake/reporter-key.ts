import type { ReporterKey } from '../cases/case-record';
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
