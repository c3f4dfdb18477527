/**
 * Disclosure-day exports of a case's advisory: an OSV record (OSV schema 1.6.x,
 * https://ossf.github.io/osv-schema/) and a CVE record (CVE Record Format 5.x,
 * `dataType: "CVE_RECORD"`). Pure: no I/O, no clock; the same input always gives the same output.
 *
 * Decisions, in short (the JSDoc of each function has the details):
 * - OSV `id` is `<prefix>-<caseId>` with the project's registered OSV database prefix, or the
 *   local-database form `x_<PROJECT>-<caseId>` without one (the official schema accepts only
 *   registered prefixes and `x_`); the CVE id, when there is one, goes to `aliases`.
 * - Ranges are cut per release line, so that every fixed version is outside every range.
 * - Version text is parsed only where it is unambiguous. The raw text always travels along
 *   (OSV `affected[].database_specific`, CVE `versionType: "custom"` entries when it did not
 *   parse), and no version number is ever made up: the only values that do not come from the
 *   maintainers' text are the spec's sentinels `"0"` (before every version) and CVE's `"*"`.
 * - Severity: the CVSS vector maintainers set (OSV `severity`, CVE `metrics`), and the word
 *   (OSV `database_specific.severity`, CVE a textual `other` metric when there is no vector).
 *   No vector is made up.
 */

import type { Credit } from './advisory-credits';
import type { CvssScore } from './cvss-score';
import { planVersions, unique, type VersionPlan } from './version-ranges';

export interface AdvisoryExportInput {
  /** The project / package name (e.g. "cryptolib"). */
  project: string;
  /** E.g. "SEC-2026-0001". */
  caseId: string;
  /** E.g. "CVE-2026-12345". */
  cve?: string;
  title?: string;
  /** The full description (plain text, multi-line). */
  advisory?: string;
  severity?: 'low' | 'medium' | 'high' | 'critical';
  /** Free text as maintainers typed it, e.g. ">=1.0, <2.3.1" or "2.0 - 2.3.0". */
  affected?: string;
  /** Free text, e.g. "2.3.1, 2.2.9". */
  fixed?: string;
  /** Who is credited, and for what. */
  credits?: Credit[];
  /** A checked CVSS 3.1 or 4.0 vector with its score. */
  cvss?: CvssScore;
  /** CWE ids, e.g. ["CWE-125"]. */
  cwes?: string[];
  /** The project's supported release lines (e.g. ["2.4", "2.3"]): one range per line. */
  releaseLines?: string[];
  /** The OSV home-database prefix registered for the project (e.g. "CURL"); default `x_` form. */
  osvIdPrefix?: string;
  /** The package name in its ecosystem, when it is not the project name. */
  packageName?: string;
  /** ISO 8601 UTC: the publication instant. */
  disclosureAt: string;
  /** ISO 8601 UTC. */
  modifiedAt: string;
  /** URLs, may be empty. */
  references: string[];
  /** CVE affected[].vendor; default: project. */
  vendor?: string;
  /** OSV package ecosystem if the project has one (e.g. "PyPI"). */
  ecosystem?: string;
  /** E.g. https://github.com/example/cryptolib. */
  repositoryUrl?: string;
  /** The CNA's org UUID. */
  cveAssignerOrgId?: string;
}

/** The ecosystems that OSV 1.6.x defines (`affected[].package.ecosystem`). */
export const OSV_ECOSYSTEMS = [
  'AlmaLinux',
  'Alpine',
  'Android',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'GHC',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Linux',
  'Mageia',
  'Maven',
  'npm',
  'NuGet',
  'OSS-Fuzz',
  'openSUSE',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'Ubuntu',
] as const;

/** CVE 5 limit on a reference URL (CVE_Record_Format.json); OSV takes the same URLs. */
export const CVE_URL_MAX = 2048;
const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

export interface Common {
  project: string;
  caseId: string;
  cve?: string;
  title: string;
  titleGiven: boolean;
  advisory?: string;
  published: string;
  modified: string;
  references: string[];
  repositoryUrl?: string;
  credits: Credit[];
  cvss?: CvssScore;
  cwes: string[];
  ecosystem?: string;
  /** The package name in the ecosystem, when there is one. */
  packageName?: string;
  plan: VersionPlan;
}

/** "CVE-2026-12345" from what people type (" cve-2026-12345 "); undefined when it is not one. */
export function normalizeCveId(cve: string | undefined): string | undefined {
  const id = cve?.trim().toUpperCase();
  return id && CVE_ID.test(id) ? id : undefined;
}

/** The OSV ecosystem as the spec spells it ("pypi" → "PyPI"); undefined when OSV has none such. */
export function normalizeEcosystem(ecosystem: string | undefined): string | undefined {
  const text = ecosystem?.trim();
  if (!text) return undefined;
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const suffix = colon < 0 ? '' : text.slice(colon);
  const known = OSV_ECOSYSTEMS.find((e) => e.toLowerCase() === name.trim().toLowerCase());
  if (!known) return undefined;
  return suffix.length > 1 ? known + suffix : known;
}

function utcTimestamp(value: string, field: string): string {
  const text = value.trim();
  // A date-time without an offset is UTC by contract; Date.parse would read it as local time.
  const zoned = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(text) ? `${text}Z` : text;
  const ms = Date.parse(zoned);
  if (Number.isNaN(ms)) throw new RangeError(`${field} is not an ISO 8601 timestamp: ${value}`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function httpUrl(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text || text.length > CVE_URL_MAX) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Cuts to `max` Unicode code points (what JSON Schema's maxLength counts), ending in "…". */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}\u2026`;
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function common(input: AdvisoryExportInput): Common {
  const project = input.project.trim();
  const caseId = input.caseId.trim();
  if (!project) throw new RangeError('project must not be empty');
  if (!caseId) throw new RangeError('caseId must not be empty');
  const title = oneLine(input.title ?? '');
  const advisory = input.advisory?.trim();
  const result: Common = {
    project,
    caseId,
    title: title || `${project} security advisory ${caseId}`,
    titleGiven: title !== '',
    published: utcTimestamp(input.disclosureAt, 'disclosureAt'),
    modified: utcTimestamp(input.modifiedAt, 'modifiedAt'),
    references: unique(input.references.map(httpUrl).filter((u): u is string => u !== undefined)),
    plan: planVersions(input.affected, input.fixed, input.releaseLines ?? []),
    credits: (input.credits ?? [])
      .map((credit) => ({ ...credit, name: oneLine(credit.name) }))
      .filter((credit) => credit.name !== ''),
    cwes: unique(input.cwes ?? []),
  };
  if (input.cvss) result.cvss = input.cvss;
  const cve = normalizeCveId(input.cve);
  if (cve) result.cve = cve;
  if (advisory) result.advisory = advisory;
  const repositoryUrl = httpUrl(input.repositoryUrl);
  if (repositoryUrl) result.repositoryUrl = repositoryUrl;
  const ecosystem = normalizeEcosystem(input.ecosystem);
  if (ecosystem) {
    result.ecosystem = ecosystem;
    result.packageName = input.packageName?.trim() || packageName(project, ecosystem);
  }
  return result;
}

/** The package name as the ecosystem spells it (PyPI names are PEP 503-normalized). */
export function packageName(project: string, ecosystem: string | undefined): string {
  return ecosystem === 'PyPI' ? project.toLowerCase().replace(/[-_.]+/g, '-') : project;
}

export function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
}
