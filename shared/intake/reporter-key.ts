import type { ReporterKey } from '../cases/case-record';
import type { ReportContent } from '../reports/report-content';
import type { MailCrypto } from '../pgp/mail-crypto';

/** The first offered key that can be encrypted to and names the reporter's address. */
export async function offeredReporterKey(
  crypto: MailCrypto,
  content: ReportContent,
  address: string,
): Promise<ReporterKey | undefined> {
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
