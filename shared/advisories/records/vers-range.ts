/**
 * Version ranges in VERS notation (the purl spec's `vers:<scheme>/<constraints>`), which CSAF's
 * `product_version_range` and purl's `vers` qualifier take. Pure.
 */

import type { AffectedInterval } from '../release-lines';
import { intervalVersions, isStrictSemver, parseAffectedVersions } from '../version-ranges';
import { purlTypeOf } from './package-url';

/**
 * The ecosystems whose own VERS scheme Embargo writes; a scheme is named as the ecosystem's purl
 * type. Other versions are `semver` when strict SemVer, else `generic`.
 */
const VERS_SCHEMES = new Set(['npm', 'pypi', 'cargo', 'gem', 'maven', 'nuget', 'golang']);

function versScheme(versions: string[], ecosystem: string | undefined): string {
  const type = purlTypeOf(ecosystem);
  if (type && VERS_SCHEMES.has(type)) return type;
  return versions.every(isStrictSemver) ? 'semver' : 'generic';
}

/** "vers:semver/>=1.0.0|<2.3.1"; `introduced: "0"` has no lower bound, an open range none above. */
export function versOf(interval: AffectedInterval, ecosystem: string | undefined): string {
  const constraints: string[] = [];
  if (interval.introduced !== '0') constraints.push(`>=${interval.introduced}`);
  if (interval.fixed) constraints.push(`<${interval.fixed}`);
  else if (interval.lastAffected) constraints.push(`<=${interval.lastAffected}`);
  const scheme = versScheme(intervalVersions(interval), ecosystem);
  return `vers:${scheme}/${constraints.length > 0 ? constraints.join('|') : '*'}`;
}

/**
 * The ranges and single versions of a statement as maintainers typed it ("<1.0", "0.9.0 - 0.9.4,
 * 0.8.2"): VERS ranges and plain versions; `undefined` when the text cannot be read without
 * guessing.
 */
export function statementVersions(
  text: string,
  ecosystem: string | undefined,
): { ranges: string[]; versions: string[] } | undefined {
  const parsed = parseAffectedVersions(text);
  if (!parsed) return undefined;
  return {
    ranges: parsed.intervals.map((i) => versOf(i, ecosystem)),
    versions: parsed.versions,
  };
}
