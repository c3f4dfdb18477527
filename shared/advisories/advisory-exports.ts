/**
 * Disclosure-day exports of a case's advisory: an OSV record (OSV schema 1.6.x,
 * https://ossf.github.io/osv-schema/) and a CVE record (CVE Record Format 5.x,
 * `dataType: "CVE_RECORD"`). Pure: no I/O, no clock; the same input always gives the same output.
 *
 * Decisions, in short (the JSDoc of each function has the details):
 * - OSV `id` is `<PROJECT>-<caseId>` (the spec's `<DB>-<ENTRYID>` form, with the project as the
 *   database); the CVE id, when there is one, goes to `aliases`. The official validation schema
 *   only accepts database prefixes registered with OSV, so a project that publishes these records
 *   to OSV.dev has to register its prefix there first.
 * - Version text is parsed only where it is unambiguous. The raw text always travels along
 *   (OSV `affected[].database_specific`, CVE `versionType: "custom"` entries when it did not
 *   parse), and no version number is ever made up: the only values that do not come from the
 *   maintainers' text are the spec's sentinels `"0"` (before every version) and CVE's `"*"`.
 * - Severity is a word, not a score: OSV `database_specific.severity`, CVE a textual `other`
 *   metric. No CVSS vector is made up.
 */

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
  /** How the reporter is credited, e.g. "Alice Example (Example Corp)". */
  credit?: string;
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

/** The OSV schema version the records follow (every field used exists since 1.6.0). */
export const OSV_SCHEMA_VERSION = '1.6.0';
/** The CVE Record Format version the records follow. */
export const CVE_DATA_VERSION = '5.1';
/**
 * Stands in for the CNA's org UUID when the case has none configured: the record format requires
 * one (a version-4 UUID) in `cveMetadata.assignerOrgId` and `providerMetadata.orgId`. Records
 * that carry it also say so in `containers.cna.x_embargo.placeholderAssignerOrgId`; the CNA (or CVE
 * Services, which sets the provider metadata itself) replaces it on submission.
 */
export const CVE_PLACEHOLDER_ORG_ID = '00000000-0000-4000-8000-000000000000';

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

// CVE 5 limits (CVE_Record_Format.json).
const CVE_TITLE_MAX = 256;
const CVE_TEXT_MAX = 4096;
const CVE_VERSION_MAX = 1024;
const CVE_VENDOR_MAX = 512;
const CVE_PRODUCT_MAX = 2048;
const CVE_URL_MAX = 2048;
const CVE_REFERENCES_MAX = 512;

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const UUID_V4 =
  /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;

// ---------------------------------------------------------------------------------------------
// Versions

/**
 * One affected range: from `introduced` (inclusive; `"0"` = before every version) up to `fixed`
 * (exclusive) or `lastAffected` (inclusive), or open-ended when it has neither.
 */
export interface AffectedInterval {
  introduced: string;
  fixed?: string;
  lastAffected?: string;
}

/** What the free-text `affected` field said, when it could be read without guessing. */
export interface ParsedAffected {
  intervals: AffectedInterval[];
  /** Single affected versions. */
  versions: string[];
}

/** The versions of a case, in a form both exports are built from. */
export interface VersionPlan {
  intervals: AffectedInterval[];
  /** Single affected versions. */
  versions: string[];
  /** Fixed versions that no range ends at (e.g. a backport: "fixed in 2.3.1, 2.2.9"). */
  unaffected: string[];
  /** The maintainers' text, trimmed; kept whether or not it parsed. */
  affectedText?: string;
  fixedText?: string;
  /** False when there was `affected` text and it was ambiguous. */
  affectedParsed: boolean;
  /** False when there was `fixed` text and it was ambiguous. */
  fixedParsed: boolean;
}

/** A version as people type it ("2.3.1", "v1.0", "1.0.0-rc.1", "2.0.0+build"), or a commit id. */
const VERSION = String.raw`(?:[0-9a-f]{64}|[0-9a-f]{40}|v?\d(?:[0-9A-Za-z.+~_-]*[0-9A-Za-z])?)`;
const VERSION_ONLY = new RegExp(`^${VERSION}$`);
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const NUMERIC_VERSION = /^v?(\d+(?:\.\d+)*)$/;
/** "1.0-2.3.0": a range typed without spaces, or one odd version? Ambiguous, so not read. */
const GLUED_RANGE = /^v?\d+(?:\.\d+)*-v?\d+(?:\.\d+)+$/;
/** "2.x", "1.2.X": a wildcard, not a version. */
const WILDCARD = /(?:^|\.)[xX](?:\.|$)/;

const RANGE_SPAN = new RegExp(
  String.raw`^(?:from\s+)?(${VERSION})\s+(?:-|\u2013|\u2014|to|through)\s+(${VERSION})$`,
  'i',
);
const COMPARATOR = new RegExp(
  String.raw`^\s*(?:(?:,|&&|and)\s*)?(>=|=>|<=|=<|==|=|<|>)?\s*(${VERSION})(?![0-9A-Za-z.+~_-])`,
  'i',
);
const ALL_VERSIONS = /^(?:\*|all|any|all versions|any version|every version)$/i;

function isVersionToken(token: string): boolean {
  return VERSION_ONLY.test(token) && !GLUED_RANGE.test(token) && !WILDCARD.test(token);
}

/** True for a full-length git commit id (SHA-1 or SHA-256). */
export function isCommitId(version: string): boolean {
  return COMMIT.test(version);
}

/** True for a SemVer 2.0.0 version, without a leading "v" (what OSV `SEMVER` ranges need). */
export function isStrictSemver(version: string): boolean {
  return SEMVER.test(version);
}

/**
 * Orders two plain dotted-numeric versions ("1.10" > "1.9", "1.0" == "1.0.0"); `undefined` when
 * either is anything else, since ordering those needs the ecosystem's own rules.
 */
export function compareVersions(a: string, b: string): number | undefined {
  const ma = NUMERIC_VERSION.exec(a);
  const mb = NUMERIC_VERSION.exec(b);
  if (!ma?.[1] || !mb?.[1]) return undefined;
  const pa = ma[1].split('.').map(Number);
  const pb = mb[1].split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** `a` comes after `b`; `undefined` when that cannot be told. */
function isAfter(a: string, b: string): boolean | undefined {
  if (b === '0') return a !== '0';
  const order = compareVersions(a, b);
  return order === undefined ? undefined : order > 0;
}

function cleanText(text: string | undefined): string | undefined {
  const trimmed = text?.trim().replace(/\.$/, '').trim();
  return trimmed ? trimmed : undefined;
}

function unique<T>(items: T[], key: (item: T) => string = String): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Words people use for comparators, rewritten to the symbols. */
function comparatorWords(text: string): string {
  return text
    .replace(
      /^(?:all\s+)?versions?\s+(?=[<>=]|before|prior|earlier|below|lower|older|up|since|from)/i,
      '',
    )
    .replace(/\b(?:before|prior to|earlier than|below|lower than|older than)\s+/gi, '<')
    .replace(/\bup to and including\s+/gi, '<=')
    .replace(/\b(?:since|from|starting (?:with|at|from))\s+/gi, '>=');
}

function parseAlternative(text: string): ParsedAffected | undefined {
  if (ALL_VERSIONS.test(text)) return { intervals: [{ introduced: '0' }], versions: [] };

  const span = RANGE_SPAN.exec(text);
  if (span?.[1] && span[2]) {
    const [from, to] = [span[1], span[2]];
    if (!isVersionToken(from) || !isVersionToken(to) || isAfter(to, from) === false) {
      return undefined;
    }
    return { intervals: [{ introduced: from, lastAffected: to }], versions: [] };
  }

  let rest = comparatorWords(text);
  const comparators: { op: string; version: string }[] = [];
  while (rest.trim()) {
    const match = COMPARATOR.exec(rest);
    if (!match?.[2] || !isVersionToken(match[2])) return undefined;
    const op = (match[1] ?? '').replace('=>', '>=').replace('=<', '<=');
    comparators.push({ op, version: match[2] });
    rest = rest.slice(match[0].length);
  }
  if (comparators.length === 0) return undefined;

  // No operators at all: a list of single versions ("2.3.0, 2.2.8").
  if (comparators.every((c) => c.op === '')) {
    return { intervals: [], versions: comparators.map((c) => c.version) };
  }
  // Operators mixed with bare versions, or more than one bound of a kind: ambiguous.
  if (comparators.some((c) => c.op === '')) return undefined;
  if (comparators.length === 1 && (comparators[0]?.op === '=' || comparators[0]?.op === '==')) {
    return { intervals: [], versions: [comparators[0].version] };
  }
  const lower = comparators.filter((c) => c.op === '>=' || c.op === '>');
  const upper = comparators.filter((c) => c.op === '<' || c.op === '<=');
  if (lower.length > 1 || upper.length > 1 || lower.length + upper.length !== comparators.length) {
    return undefined;
  }
  const from = lower[0];
  const to = upper[0];
  // An exclusive lower bound (">1.0") has no OSV or CVE form without naming the next version.
  if (from?.op === '>') return undefined;
  const introduced = from?.version ?? '0';
  if (to && isAfter(to.version, introduced) === false) return undefined;
  const interval: AffectedInterval = { introduced };
  if (to?.op === '<') interval.fixed = to.version;
  if (to?.op === '<=') interval.lastAffected = to.version;
  return { intervals: [interval], versions: [] };
}

/**
 * Reads the maintainers' `affected` text. Understood, each part separated by `||`, `;` or "or":
 * comparator sets (`>=1.0, <2.3.1`, `>= 1.0 < 2.3.1`, `<2.3.1`, `<=2.3.0`, `>=1.0`), the words
 * "before", "prior to", "since", "from", "up to and including", inclusive spans (`2.0 - 2.3.0`,
 * `2.0 to 2.3.0`), single versions (`2.3.0, 2.2.8`) and `*` / "all versions". Anything else
 * (`>1.0`, `2.x`, `1.0-2.3.0`, prose, an upper bound below the lower one) gives `undefined`.
 */
export function parseAffectedVersions(text: string): ParsedAffected | undefined {
  const cleaned = cleanText(text);
  if (!cleaned) return undefined;
  const intervals: AffectedInterval[] = [];
  const versions: string[] = [];
  for (const part of cleaned.split(/\s*(?:\|\||;|\bor\b)\s*/i)) {
    if (!part) return undefined;
    const parsed = parseAlternative(part);
    if (!parsed) return undefined;
    intervals.push(...parsed.intervals);
    versions.push(...parsed.versions);
  }
  return {
    intervals: unique(intervals, (i) => JSON.stringify(i)),
    versions: unique(versions),
  };
}

/**
 * Reads the maintainers' `fixed` text: versions (or commit ids) separated by commas, semicolons,
 * spaces or "and", each optionally written `>=2.3.1`. Anything else gives `undefined`.
 */
export function parseFixedVersions(text: string): string[] | undefined {
  const cleaned = cleanText(text);
  if (!cleaned) return undefined;
  const tokens = cleaned
    .replace(/>=\s+/g, '>=')
    .split(/\s*[,;]\s*|\s+and\s+|\s+/i)
    .filter(Boolean)
    .map((token) => token.replace(/^>=\s*/, ''));
  if (tokens.length === 0 || !tokens.every(isVersionToken)) return undefined;
  return unique(tokens);
}

/**
 * Combines the `affected` and `fixed` texts:
 * - `affected` ranges keep their own upper bounds; a fixed version equal to one is used up.
 * - One open-ended range (`>=1.0`) and one remaining fixed version after it become one range.
 * - No `affected` text and a single fixed version: everything before it (`introduced: "0"`).
 * - Every other fixed version is `unaffected` (a backport such as 2.2.9 next to `<2.3.1`). It is
 *   not turned into a range of its own, since that would need the first version of its branch.
 */
export function planVersions(affected?: string, fixed?: string): VersionPlan {
  const affectedText = affected?.trim() || undefined;
  const fixedText = fixed?.trim() || undefined;
  const parsedAffected = affectedText ? parseAffectedVersions(affectedText) : undefined;
  const parsedFixed = fixedText ? parseFixedVersions(fixedText) : undefined;
  const plan: VersionPlan = {
    intervals: parsedAffected?.intervals.map((i) => ({ ...i })) ?? [],
    versions: parsedAffected?.versions ?? [],
    unaffected: [],
    affectedParsed: !affectedText || parsedAffected !== undefined,
    fixedParsed: !fixedText || parsedFixed !== undefined,
  };
  if (affectedText) plan.affectedText = affectedText;
  if (fixedText) plan.fixedText = fixedText;

  let remaining = parsedFixed ?? [];
  if (!affectedText && remaining.length === 1 && remaining[0]) {
    plan.intervals = [{ introduced: '0', fixed: remaining[0] }];
    remaining = [];
  } else if (parsedAffected) {
    const ends = new Set(plan.intervals.flatMap((i) => [i.fixed, i.lastAffected]));
    remaining = remaining.filter((version) => !ends.has(version));
    const open = plan.intervals.filter((i) => !i.fixed && !i.lastAffected);
    const [onlyOpen] = open;
    const [onlyFixed] = remaining;
    if (
      open.length === 1 &&
      remaining.length === 1 &&
      onlyOpen &&
      onlyFixed &&
      isAfter(onlyFixed, onlyOpen.introduced)
    ) {
      onlyOpen.fixed = onlyFixed;
      remaining = [];
    }
  }
  plan.unaffected = remaining;
  return plan;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

interface Common {
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
  credit?: string;
  ecosystem?: string;
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
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}\u2026`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function common(input: AdvisoryExportInput): Common {
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
    plan: planVersions(input.affected, input.fixed),
  };
  const cve = normalizeCveId(input.cve);
  if (cve) result.cve = cve;
  if (advisory) result.advisory = advisory;
  const repositoryUrl = httpUrl(input.repositoryUrl);
  if (repositoryUrl) result.repositoryUrl = repositoryUrl;
  const credit = input.credit?.trim();
  if (credit) result.credit = credit;
  const ecosystem = normalizeEcosystem(input.ecosystem);
  if (ecosystem) result.ecosystem = ecosystem;
  return result;
}

/** The package name as the ecosystem spells it (PyPI names are PEP 503-normalized). */
function packageName(project: string, ecosystem: string | undefined): string {
  return ecosystem === 'PyPI' ? project.toLowerCase().replace(/[-_.]+/g, '-') : project;
}

function idPart(text: string): string {
  return text.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
}

// ---------------------------------------------------------------------------------------------
// OSV

type OsvRangeType = 'GIT' | 'SEMVER' | 'ECOSYSTEM';

function intervalVersions(interval: AffectedInterval): string[] {
  return [interval.introduced, interval.fixed, interval.lastAffected].filter(
    (v): v is string => v !== undefined && v !== '0',
  );
}

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

/** OSV `id`: `<PROJECT>-<caseId>`, e.g. "CRYPTOLIB-SEC-2026-0001". */
export function osvId(project: string, caseId: string): string {
  const database = idPart(project.trim().toUpperCase()) || 'EMBARGO';
  return `${database}-${idPart(caseId.trim())}`;
}

function osvAffected(
  c: Common,
  rawEcosystem: string | undefined,
): Record<string, unknown> | undefined {
  const entry: Record<string, unknown> = {};
  if (c.ecosystem) {
    entry.package = { ecosystem: c.ecosystem, name: packageName(c.project, c.ecosystem) };
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
 * - `id` is `<PROJECT>-<caseId>` (see {@link osvId}); the CVE id is an alias, never the id: the
 *   `CVE-` prefix belongs to the CVE records OSV.dev itself imports.
 * - `summary` is the title on one line, or "<project> security advisory <caseId>"; `details` is
 *   the advisory text, left out when there is none.
 * - `affected[0].package` is `{ecosystem, name: project}` when `ecosystem` is one OSV defines
 *   (matched case-insensitively). Without one there is no `package` (the schema does not require
 *   it, and the spec identifies such software by GIT ranges on its repository instead): ranges
 *   are then GIT ranges on `repositoryUrl` when the text names full commit ids, SEMVER ranges when
 *   every version is strict SemVer, and otherwise only the text is kept.
 * - The raw `affected` / `fixed` text is always kept in `affected[0].database_specific`.
 * - `repositoryUrl` is added to `references` as a `PACKAGE` reference.
 * - Severity is the word in `database_specific.severity`; `severity` (CVSS) is never set.
 */
export function toOsvRecord(input: AdvisoryExportInput): Record<string, unknown> {
  const c = common(input);
  const record: Record<string, unknown> = {
    schema_version: OSV_SCHEMA_VERSION,
    id: osvId(c.project, c.caseId),
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
  if (c.credit) record.credits = [{ name: c.credit, type: 'FINDER' }];
  if (input.severity) record.database_specific = { severity: input.severity };
  return record;
}

// ---------------------------------------------------------------------------------------------
// CVE

/** Package collections the CVE format lists for `collectionURL`, by OSV ecosystem. */
const CVE_COLLECTIONS: Record<string, string> = {
  npm: 'https://registry.npmjs.org',
  PyPI: 'https://pypi.python.org',
  'crates.io': 'https://crates.io',
  RubyGems: 'https://rubygems.org',
  Maven: 'https://repo.maven.apache.org/maven2',
  NuGet: 'https://nuget.org/packages',
  Packagist: 'https://packagist.org',
  Hex: 'https://repo.hex.pm',
  Pub: 'https://pub.dev',
  Hackage: 'https://hackage.haskell.org',
  CRAN: 'https://cran.r-project.org',
};

function cveVersionType(interval: AffectedInterval, ecosystem: string | undefined): string {
  const versions = intervalVersions(interval);
  if (versions.length > 0 && versions.every(isCommitId)) return 'git';
  if (ecosystem === 'PyPI') return 'python';
  if (ecosystem === 'Maven') return 'maven';
  return versions.every(isStrictSemver) ? 'semver' : 'custom';
}

function cveVersions(c: Common): { versions: Record<string, string>[]; structured: boolean } {
  const { plan } = c;
  const versions: Record<string, string>[] = [];
  // Single versions first: CVE consumers take the first entry that matches a version.
  for (const version of plan.unaffected) {
    versions.push({ version: truncate(version, CVE_VERSION_MAX), status: 'unaffected' });
  }
  if (!plan.fixedParsed && plan.fixedText) {
    versions.push({
      version: truncate(plan.fixedText, CVE_VERSION_MAX),
      status: 'unaffected',
      versionType: 'custom',
    });
  }
  for (const version of plan.versions) {
    versions.push({ version: truncate(version, CVE_VERSION_MAX), status: 'affected' });
  }
  for (const interval of plan.intervals) {
    const entry: Record<string, string> = {
      version: interval.introduced,
      status: 'affected',
      versionType: cveVersionType(interval, c.ecosystem),
    };
    if (interval.fixed) entry.lessThan = interval.fixed;
    else if (interval.lastAffected) entry.lessThanOrEqual = interval.lastAffected;
    else entry.lessThan = '*';
    versions.push(entry);
  }
  if (!plan.affectedParsed && plan.affectedText) {
    versions.push({
      version: truncate(plan.affectedText, CVE_VERSION_MAX),
      status: 'affected',
      versionType: 'custom',
    });
  }
  const structured =
    plan.affectedParsed && plan.fixedParsed && plan.intervals.length + plan.versions.length > 0;
  return { versions: unique(versions, (v) => JSON.stringify(v)), structured };
}

function cveProduct(c: Common, vendor: string | undefined): Record<string, unknown> {
  const product: Record<string, unknown> = {
    vendor: truncate(vendor?.trim() || c.project, CVE_VENDOR_MAX),
    product: truncate(c.project, CVE_PRODUCT_MAX),
  };
  const collection = c.ecosystem ? CVE_COLLECTIONS[c.ecosystem] : undefined;
  if (collection) {
    product.collectionURL = collection;
    product.packageName = truncate(packageName(c.project, c.ecosystem), CVE_PRODUCT_MAX);
  }
  if (c.repositoryUrl) product.repo = c.repositoryUrl;
  const { versions, structured } = cveVersions(c);
  if (versions.length > 0) product.versions = versions;
  // The ranges say which versions are affected; others are not (OSV reads its ranges the same way).
  if (structured) product.defaultStatus = 'unaffected';
  else if (versions.length === 0) product.defaultStatus = 'unknown';
  return product;
}

/**
 * The advisory as a CVE record (CVE Record Format 5.x, state PUBLISHED); `undefined` when the
 * case has no CVE id (or what it has is not one: `CVE-YYYY-NNNN…`).
 *
 * - `assignerOrgId` / `providerMetadata.orgId` are `cveAssignerOrgId`, or
 *   {@link CVE_PLACEHOLDER_ORG_ID} with `x_embargo.placeholderAssignerOrgId: true`; a
 *   `cveAssignerOrgId` that is not a version-4 UUID throws, as a misconfiguration.
 * - `title` is the title (or "<project> security advisory <caseId>"), cut to 256 characters;
 *   the one English description is the advisory text, else the title, else a sentence naming the
 *   project and case, cut to 4096 characters.
 * - `affected[0]`: vendor (default: project), product, `collectionURL`/`packageName` for the
 *   common package registries, `repo`, and the versions: fixed versions no range ends at as
 *   `unaffected`, single versions, ranges with `lessThan` / `lessThanOrEqual` (`"*"` when open),
 *   and unparsed text as `versionType: "custom"` entries.
 * - `references` are the case's http(s) URLs; the format needs at least one, so with none the
 *   record points at its own page on cve.org.
 * - The credit is a `finder` credit. Severity, when given, is a textual `other` metric; no CVSS.
 */
export function toCveRecord(input: AdvisoryExportInput): Record<string, unknown> | undefined {
  const c = common(input);
  if (!c.cve) return undefined;
  const configuredOrgId = input.cveAssignerOrgId?.trim();
  if (configuredOrgId && !UUID_V4.test(configuredOrgId)) {
    throw new RangeError(`cveAssignerOrgId is not a version-4 UUID: ${configuredOrgId}`);
  }
  const orgId = configuredOrgId ? configuredOrgId.toLowerCase() : CVE_PLACEHOLDER_ORG_ID;

  const description =
    c.advisory ??
    (c.titleGiven ? c.title : `Security vulnerability in ${c.project} (${c.caseId}).`);
  const references =
    c.references.length > 0 ? c.references : [`https://www.cve.org/CVERecord?id=${c.cve}`];
  const marker: Record<string, unknown> = { caseId: c.caseId };
  if (!configuredOrgId) marker.placeholderAssignerOrgId = true;

  const cna: Record<string, unknown> = {
    providerMetadata: { orgId, dateUpdated: c.modified },
    datePublic: c.published,
    title: truncate(c.title, CVE_TITLE_MAX),
    descriptions: [{ lang: 'en', value: truncate(description, CVE_TEXT_MAX) }],
    affected: [cveProduct(c, input.vendor)],
    references: references.slice(0, CVE_REFERENCES_MAX).map((url) => ({ url })),
  };
  if (c.credit)
    cna.credits = [{ lang: 'en', value: truncate(c.credit, CVE_TEXT_MAX), type: 'finder' }];
  if (input.severity) {
    cna.metrics = [
      { other: { type: 'Textual description of severity', content: { text: input.severity } } },
    ];
  }
  cna.x_embargo = marker;

  return {
    dataType: 'CVE_RECORD',
    dataVersion: CVE_DATA_VERSION,
    cveMetadata: {
      cveId: c.cve,
      assignerOrgId: orgId,
      state: 'PUBLISHED',
      datePublished: c.published,
      dateUpdated: c.modified,
    },
    containers: { cna },
  };
}
