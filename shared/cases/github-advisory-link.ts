/** What a case records about its GitHub repository security advisory. */
export interface GitHubAdvisoryLink {
  ghsaId: string;
  url: string;
  /** The fields last written to GitHub (a hash), so unchanged cases send nothing. */
  contentHash?: string;
  privateForkUrl?: string;
  collaborators?: string[];
  cveRequestedAt?: string;
  publishedAt?: string;
  /** The last GitHub failure, in words, until a later call succeeds. */
  problem?: { at: string; operation: string; text: string };
}
