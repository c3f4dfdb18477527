/** Files belonging to a case, such as patches (S3 in AWS, encrypted with the stack's key). */
export interface CaseFiles {
  put(key: string, content: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Buffer>;
}
