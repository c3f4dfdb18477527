/** Where raw inbound messages live, keyed by the receiving service's message id (S3 in AWS). */
export interface RawMailStore {
  put(messageId: string, raw: Buffer): Promise<void>;
  /** Throws RawMailMissingError when nothing is stored under the id. */
  get(messageId: string): Promise<Buffer>;
}
