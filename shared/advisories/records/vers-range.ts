/**
 * Version ranges in VERS notation (the purl spec's `vers:<scheme>/<constraints>`), which CSAF's
 * `product_version_range` and purl's `vers` qualifier take. Pure.
 */

import type { AffectedInterval } from '../release-lines';
import { intervalVersions, isStrictSemver, parseAffectedVersions } from '../version-ranges';

/** VERS schemes by OSV ecosystem; other versions are `semver` when strict SemVer, else `generic`. */
const VERS_SCHEMES: Record<string, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  Maven: 'maven',
  NuGet: 'nuget',
  Go: 'golang',
};

function versScheme(versions: string[], ecosystem: string | undefined): string {
  const scheme = ecosystem ? VERS_SCHEMES[ecosystem.split(':')[0]!] : undefined;
  if (scheme) return scheme;
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
