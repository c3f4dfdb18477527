/**
 * The port to a code host's repository security advisories (GitHub's, through its REST API).
 * Field names are GitHub's own, since these are GitHub's objects; the mapping from a case is in
 * advisory-mapping.ts, the adapter in shared/adapters/github.
 */

import type { CreditType } from '../advisories/advisory-credits';

/** GitHub's names for package ecosystems (not OSV's: PyPI is "pip", crates.io "rust"). */
export const gitHubEcosystems = [
  'rubygems',
  'npm',
  'pip',
  'maven',
  'nuget',
  'composer',
  'go',
  'rust',
  'erlang',
  'actions',
  'pub',
  'other',
  'swift',
] as const;
export type GitHubEcosystem = (typeof gitHubEcosystems)[number];

export interface AdvisoryVulnerability {
  package: { ecosystem: GitHubEcosystem; name: string };
  vulnerable_version_range: string | null;
  patched_versions: string | null;
}

/** What Embargo writes into a draft advisory. */
export interface AdvisoryContent {
  summary: string;
  description: string;
  vulnerabilities: AdvisoryVulnerability[];
  cwe_ids: string[];
  credits: { login: string; type: CreditType }[];
  /** GitHub takes either a severity word or a CVSS vector, not both; neither is sent as null. */
  severity?: 'low' | 'medium' | 'high' | 'critical';
  cvss_vector_string?: string;
}

/** The advisory as GitHub reports it back. */
export interface AdvisoryState {
  ghsaId: string;
  /** The advisory's page on GitHub. */
  url: string;
  state: string;
  cveId?: string;
  collaborators: string[];
  privateForkUrl?: string;
}

/** A draft as the repository's list of advisories shows it. */
export interface DraftAdvisory extends AdvisoryState {
  description: string;
  /** When GitHub created the draft (ISO 8601). */
  createdAt: string;
}

export interface RepositoryAdvisories {
  create(content: AdvisoryContent): Promise<AdvisoryState>;
  update(ghsaId: string, content: AdvisoryContent): Promise<AdvisoryState>;
  get(ghsaId: string): Promise<AdvisoryState>;
  /** Every draft advisory of the repository (all pages), newest first. */
  listDrafts(): Promise<DraftAdvisory[]>;
  /** Publishes the draft with its final content, in one request. */
  publish(ghsaId: string, content: AdvisoryContent): Promise<AdvisoryState>;
  /** Creates the temporary private fork; resolves to its page. */
  createPrivateFork(ghsaId: string): Promise<string>;
  /** Sets who collaborates on the draft (GitHub replaces the whole list). */
  setCollaborators(ghsaId: string, logins: string[]): Promise<AdvisoryState>;
  /** Asks GitHub, as a CNA, for a CVE id; the id arrives later (see `get`). */
  requestCve(ghsaId: string): Promise<void>;
}
