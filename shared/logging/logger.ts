/**
 * Structured operational log. Fields are metadata only (ids, addresses, reasons):
 * never message bodies, decrypted text or key material.
 */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}
