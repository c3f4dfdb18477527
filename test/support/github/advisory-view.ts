import { parseCvssVector } from '../../../shared/advisories/cvss-vector';
import { openApiExample } from './openapi-check';

/*
 * What the local GitHub stand-in answers: its stored advisories in the shape of GitHub's
 * `repository-advisory` (and a fork as a `full-repository`), every field the description
 * requires present. The parts Embargo never reads (avatars, URL templates) come from the
 * description's own examples.
 */

type Json = Record<string, unknown>;

/** An advisory as the stand-in keeps it: what the client sent, and what GitHub adds. */
export interface StoredAdvisory extends Json {
  ghsa_id: string;
  html_url: string;
  state: string;
  summary: string;
  description: string;
  cve_id: string | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  collaborating_users: { login: string }[];
  private_fork: { name: string; full_name: string; html_url: string } | null;
}

const GITHUB_SEVERITY = new Set(['low', 'medium', 'high', 'critical']);

export function userView(login: string, id = 1): Json {
  const user = openApiExample('repository-advisory').author as Json;
  return {
    ...user,
    login,
    id,
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
  };
}

export function forkView(fork: NonNullable<StoredAdvisory['private_fork']>, apiBase: string): Json {
  return {
    ...openApiExample('full-repository'),
    // The description's example lacks this field, which its schema requires.
    has_discussions: false,
    name: fork.name,
    full_name: fork.full_name,
    html_url: fork.html_url,
    url: `${apiBase}/repos/${fork.full_name}`,
    private: true,
    fork: false,
  };
}

/** The `simple-repository` an advisory names as its private fork: the fields that schema has. */
function privateForkView(fork: NonNullable<StoredAdvisory['private_fork']>, apiBase: string) {
  const full = forkView(fork, apiBase);
  const fields = Object.keys(openApiExample('repository-advisory').private_fork as Json);
  return Object.fromEntries(fields.map((k) => [k, full[k]]));
}

function cvssView(vector: string | undefined) {
  const parsed = vector ? parseCvssVector(vector) : undefined;
  return parsed?.ok ? { vector_string: vector, score: parsed.cvss.score } : null;
}

export function advisoryView(stored: StoredAdvisory, repository: string, apiBase: string): Json {
  const vector = stored.cvss_vector_string as string | undefined;
  const cvss = cvssView(vector);
  const rating = vector && parseCvssVector(vector);
  const severity =
    (stored.severity as string | undefined) ?? (rating && rating.ok ? rating.cvss.rating : null);
  const credits = (stored.credits as { login: string; type: string }[] | undefined) ?? [];
  const cwes = (stored.cwe_ids as string[] | undefined) ?? [];
  const vulnerabilities = (stored.vulnerabilities as Json[] | undefined) ?? [];
  return {
    ghsa_id: stored.ghsa_id,
    cve_id: stored.cve_id,
    url: `${apiBase}/repos/${repository}/security-advisories/${stored.ghsa_id}`,
    html_url: stored.html_url,
    summary: stored.summary,
    description: stored.description,
    severity: severity && GITHUB_SEVERITY.has(severity) ? severity : null,
    author: userView('embargo-bot'),
    publisher: stored.state === 'published' ? userView('embargo-bot') : null,
    identifiers: [
      { type: 'GHSA', value: stored.ghsa_id },
      ...(stored.cve_id ? [{ type: 'CVE', value: stored.cve_id }] : []),
    ],
    state: stored.state,
    created_at: stored.created_at,
    updated_at: stored.updated_at,
    published_at: stored.published_at,
    closed_at: null,
    withdrawn_at: null,
    submission: null,
    vulnerabilities: vulnerabilities.map((v) => ({
      package: v.package ?? null,
      vulnerable_version_range: v.vulnerable_version_range ?? null,
      patched_versions: v.patched_versions ?? null,
      vulnerable_functions: v.vulnerable_functions ?? [],
    })),
    cvss,
    cvss_severities: {
      cvss_v3: vector?.startsWith('CVSS:3') ? cvss : null,
      cvss_v4: vector?.startsWith('CVSS:4') ? cvss : null,
    },
    cwes: cwes.map((id) => ({ cwe_id: id, name: `${id} (its name in the CWE list)` })),
    cwe_ids: cwes,
    credits: credits.map(({ login, type }) => ({ login, type })),
    credits_detailed: credits.map(({ login, type }, i) => ({
      user: userView(login, 100 + i),
      type,
      state: 'pending',
    })),
    collaborating_users: stored.collaborating_users.map((u, i) => userView(u.login, 200 + i)),
    collaborating_teams: [],
    private_fork: stored.private_fork ? privateForkView(stored.private_fork, apiBase) : null,
  };
}
