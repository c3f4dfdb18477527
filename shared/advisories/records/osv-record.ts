/** The OSV record of a case's advisory (OSV schema 1.6.x, https://ossf.github.io/osv-schema/). Pure. */

import { common, idPart, type AdvisoryExportInput, type Common } from '../advisory-input';
import {
  intervalVersions,
  isCommitId,
  isStrictSemver,
  type AffectedInterval,
} from '../version-ranges';

export const OSV_SCHEMA_VERSION = '1.6.0';

type OsvRangeType = 'GIT' | 'SEMVER' | 'ECOSYSTEM';

function osvRangeType(
  interval: AffectedInterval,
  ecosystem: string | undefined,
  repositoryUrl: string | undefined,
): OsvRangeType | undefined {
  const versions = intervalVersions(interval);
  const commits = versions.filter(isCommitId).length;
  if (versions.length > 0 && commits === versions.length) return repositoryUrl ? 'GIT' : undefined;
  if (commits > 0) return undefined;
  if (ecosystem) return 'ECOSYSTEM';
  return versions.every(isStrictSemver) ? 'SEMVER' : undefined;
}

function osvReferenceType(url: string): string {
  if (
    /\/security\/advisories\/|\/advisories\/GHSA-|cve\.org\/CVERecord|nvd\.nist\.gov\/vuln\//i.test(
      url,
    )
  ) {
    return 'ADVISORY';
  }
  if (/\/commit\/|\/commits\/[0-9a-f]{7,}/i.test(url)) return 'FIX';
  if (/\/issues\/\d+/i.test(url)) return 'REPORT';
  return 'WEB';
}

/**
 * OSV `id`: `<prefix>-<caseId>` with a registered home-database prefix ("CURL-SEC-2026-0001"),
 * else the local-database form `x_<PROJECT>-<caseId>` ("x_CRYPTOLIB-SEC-2026-0001").
 */
export function osvId(project: string, caseId: string, registeredPrefix?: string): string {
  const entry = idPart(caseId.trim());
  const prefix = registeredPrefix?.trim();
  if (prefix) return `${prefix}-${entry}`;
  const database = idPart(project.trim().toUpperCase()) || 'EMBARGO';
  return `x_${database}-${entry}`;
}

function osvCredits(c: Common): Record<string, unknown>[] {
  return c.credits.map((credit) => ({
    name: credit.name,
    ...(credit.github ? { contact: [`https://github.com/${credit.github}`] } : {}),
    type: credit.type.toUpperCase(),
  }));
}

function osvAffected(
  c: Common,
  rawEcosystem: string | undefined,
): Record<string, unknown> | undefined {
  const entry: Record<string, unknown> = {};
  if (c.ecosystem && c.packageName) {
    entry.package = { ecosystem: c.ecosystem, name: c.packageName };
  }
  const { plan } = c;
  const types = plan.intervals.map((i) => osvRangeType(i, c.ecosystem, c.repositoryUrl));
  // All or nothing: listing only some of the ranges would let the others read as unaffected.
  if (plan.intervals.length > 0 && types.every((t) => t !== undefined)) {
    entry.ranges = plan.intervals.map((interval, i) => {
      const type = types[i] as OsvRangeType;
      const events: Record<string, string>[] = [{ introduced: interval.introduced }];
      if (interval.fixed) events.push({ fixed: interval.fixed });
      if (interval.lastAffected) events.push({ last_affected: interval.lastAffected });
      return type === 'GIT' ? { type, repo: c.repositoryUrl, events } : { type, events };
    });
  }
  if (plan.versions.length > 0) entry.versions = [...plan.versions];
  const text: Record<string, string> = {};
  if (plan.affectedText) text.affected = plan.affectedText;
  if (plan.fixedText) text.fixed = plan.fixedText;
  const ecosystemText = rawEcosystem?.trim();
  if (ecosystemText && !c.ecosystem) text.ecosystem = ecosystemText;
  if (Object.keys(text).length > 0) entry.database_specific = text;
  return Object.keys(entry).length > 0 ? entry : undefined;
}

/**
 * The advisory as an OSV record (schema 1.6.x).
 *
 * - `id` is `<prefix>-<caseId>` or `x_<PROJECT>-<caseId>` (see {@link osvId}); the CVE id is an
 *   alias, never the id: the `CVE-` prefix belongs to the CVE records OSV.dev itself imports.
 * - `summary` is the title on one line, or "<project> security advisory <caseId>"; `details` is
 *   the advisory text, left out when there is none.
 * - `affected[0].package` is `{ecosystem, name: project}` when `ecosystem` is one OSV defines
 *   (matched case-insensitively). Without one there is no `package` (the schema does not require
 *   it, and the spec identifies such software by GIT ranges on its repository instead): ranges
 *   are then GIT ranges on `repositoryUrl` when the text names full commit ids, SEMVER ranges when
 *   every version is strict SemVer, and otherwise only the text is kept.
 * - The raw `affected` / `fixed` text is always kept in `affected[0].database_specific`.
 * - `repositoryUrl` is added to `references` as a `PACKAGE` reference.
 * - `severity` is the CVSS vector when maintainers set one (`CVSS_V3` / `CVSS_V4`); the severity
 *   word and the CWE ids go to `database_specific` (`severity`, `cwe_ids`).
 * - `credits` carry the OSV credit type and, for a GitHub login, its profile URL as contact.
 */
export function toOsvRecord(input: AdvisoryExportInput): Record<string, unknown> {
  const c = common(input);
  const record: Record<string, unknown> = {
    schema_version: OSV_SCHEMA_VERSION,
    id: osvId(c.project, c.caseId, input.osvIdPrefix),
    modified: c.modified,
    published: c.published,
    aliases: c.cve ? [c.cve] : [],
    summary: c.title,
  };
  if (c.advisory) record.details = c.advisory;
  const affected = osvAffected(c, input.ecosystem);
  if (affected) record.affected = [affected];
  const references = c.references.map((url) => ({ type: osvReferenceType(url), url }));
  if (c.repositoryUrl && !c.references.includes(c.repositoryUrl)) {
    references.push({ type: 'PACKAGE', url: c.repositoryUrl });
  }
  if (references.length > 0) record.references = references;
  if (c.cvss) {
    record.severity = [
      { type: c.cvss.version === '4.0' ? 'CVSS_V4' : 'CVSS_V3', score: c.cvss.vector },
    ];
  }
  if (c.credits.length > 0) record.credits = osvCredits(c);
  const specific: Record<string, unknown> = {};
  if (input.severity) specific.severity = input.severity;
  // Where GitHub's own OSV export keeps CWE ids; OSV has no field for them.
  if (c.cwes.length > 0) specific.cwe_ids = c.cwes;
  if (Object.keys(specific).length > 0) record.database_specific = specific;
  return record;
}
