/** Where a case's records went on disclosure day, beyond mail: recorded once each was out. */

/** The commit that put the case's OSV record in the repository OSV.dev imports from. */
export interface OsvCommitLink {
  /** "owner/name". */
  repository: string;
  /** The file's path in the repository. */
  path: string;
  /** The commit, or "" when it was found on GitHub but its commit could not be named. */
  commitSha: string;
  commitUrl: string;
  fileUrl?: string;
  publishedAt: string;
  /**
   * SHA-256 of the committed record without its `modified` time (osv-publication.ts): what the
   * file says; a change after D commits again only when this differs.
   */
  recordDigest?: string;
  /** When a change after D last committed a new version (the commit fields name that one). */
  updatedAt?: string;
}

/** The case's CSAF document in the CSAF provider directory (`csaf`, csaf-publication.ts). */
export interface CsafDirectoryLink {
  /** "owner/name". */
  repository: string;
  /** The document's path in the repository: `<folder>/<year>/<file>.json`. */
  path: string;
  /** Where the document is served: `<csaf.baseUrl><year>/<file>.json`. */
  url: string;
  /** `document.tracking.version` of the document there. */
  version: string;
  /** SHA-256 of the document there: a rebuilt document that differs is a new revision. */
  documentDigest: string;
  /** The commits the last publication made (one per file; none when all was there already). */
  commitUrls: string[];
  publishedAt: string;
  /** When a change after D last published a new revision. */
  updatedAt?: string;
}

/** The oss-security post Embargo sent itself (`ossSecurityPost: "send"`). */
export interface OssSecurityPostLink {
  to: string;
  subject: string;
  sentAt: string;
}
