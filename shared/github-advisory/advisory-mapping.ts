/**
 * A case as the content of a GitHub repository security advisory: the one mapping, pure. The
 * versions are planned as for the OSV record (one vulnerable range per release line), written in
 * GitHub's range syntax (`>= 1.0, < 2.2.9`).
 */
import type { CaseRecord } from '../cases/case-record';
import type { EmbargoConfig } from '../config/embargo-config';
import { caseCredits } from '../advisories/advisory-credits';
import { normalizeEcosystem, packageName, truncate } from '../advisories/advisory-input';
import { planVersions, type AffectedInterval } from '../advisories/version-ranges';
import type {
  AdvisoryContent,
  AdvisoryVulnerability,
  GitHubEcosystem,
} from './repository-advisories';

/** OSV ecosystem → GitHub's name; the rest are "other". */
const GITHUB_ECOSYSTEM: Record<string, GitHubEcosystem> = {
  npm: 'npm',
  PyPI: 'pip',
  Maven: 'maven',
  NuGet: 'nuget',
  Packagist: 'composer',
  Go: 'go',
  'crates.io': 'rust',
  Hex: 'erlang',
  RubyGems: 'rubygems',
  Pub: 'pub',
  'GitHub Actions': 'actions',
  SwiftURL: 'swift',
};

// GitHub's limits (OpenAPI description of the endpoint).
const SUMMARY_MAX = 1024;
export const DESCRIPTION_MAX = 65535;

export function gitHubEcosystem(ecosystem: string | undefined): GitHubEcosystem {
  const osv = normalizeEcosystem(ecosystem);
  return (osv && GITHUB_ECOSYSTEM[osv.split(':')[0]!]) || 'other';
}

function rangeText(interval: AffectedInterval): string | null {
  const parts: string[] = [];
  if (interval.introduced !== '0') parts.push(`>= ${interval.introduced}`);
  if (interval.fixed) parts.push(`< ${interval.fixed}`);
  else if (interval.lastAffected) parts.push(`<= ${interval.lastAffected}`);
  return parts.length ? parts.join(', ') : null;
}

function vulnerabilities(record: CaseRecord, config: EmbargoConfig): AdvisoryVulnerability[] {
  const osv = normalizeEcosystem(config.ecosystem);
  const pkg = {
    ecosystem: gitHubEcosystem(config.ecosystem),
    name: config.packageName ?? packageName(config.project, osv),
  };
  const plan = planVersions(record.affected, record.fixed, config.supportedReleases);
  const readable = plan.affectedParsed && plan.fixedParsed;
  const list: AdvisoryVulnerability[] = readable
    ? [
        ...plan.intervals.map((interval) => ({
          package: pkg,
          vulnerable_version_range: rangeText(interval),
          patched_versions: interval.fixed ?? null,
        })),
        ...plan.versions.map((version) => ({
          package: pkg,
          vulnerable_version_range: `= ${version}`,
          patched_versions: null,
        })),
      ]
    : [];
  // Text that did not read as versions goes as typed, for the maintainers to edit on GitHub.
  return list.length > 0
    ? list
    : [
        {
          package: pkg,
          vulnerable_version_range: record.affected?.trim() || null,
          patched_versions: record.fixed?.trim() || null,
        },
      ];
}

/**
 * The advisory content for a case: summary (the title), description (the advisory text), the
 * CVSS vector or else the severity word, CWE ids, vulnerabilities and the credits that name a
 * GitHub login (GitHub credits accounts only).
 */
export function toAdvisoryContent(record: CaseRecord, config: EmbargoConfig): AdvisoryContent {
  const summary = record.title?.trim() || `${config.project} security advisory ${record.id}`;
  const description =
    record.advisory?.trim() ||
    `Security vulnerability in ${config.project}; details follow on disclosure.`;
  return {
    summary: truncate(summary.replace(/\s+/g, ' '), SUMMARY_MAX),
    description: truncate(description, DESCRIPTION_MAX),
    vulnerabilities: vulnerabilities(record, config),
    cwe_ids: record.cwes ?? [],
    credits: caseCredits(record).flatMap((c) =>
      c.github ? [{ login: c.github, type: c.type }] : [],
    ),
    ...(record.cvss
      ? { cvss_vector_string: record.cvss.vector }
      : record.severity
        ? { severity: record.severity }
        : {}),
  };
}
