import type { ReportContent } from './report-content';

/** Decrypts and verifies a raw report (OpenPGP in both runtimes). */
export interface ReportReader {
  /**
   * @param knownSignerKeys armored public keys whose signatures count as known (maintainers,
   *   the case's reporter).
   */
  read(raw: Buffer, knownSignerKeys: string[]): Promise<ReportContent>;
}
