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
}

/** The oss-security post Embargo sent itself (`ossSecurityPost: "send"`). */
export interface OssSecurityPostLink {
  to: string;
  subject: string;
  sentAt: string;
}
