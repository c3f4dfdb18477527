import { splitAtFixes, type AffectedInterval } from './release-lines';

export type { AffectedInterval } from './release-lines';

/**
 * The affected and fixed versions of a case, read from the maintainers' free text only where it is
 * unambiguous, and planned into ranges both advisory exports are built from. Pure.
 */
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

export function unique<T>(items: T[], key: (item: T) => string = String): T[] {
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

/** Whether `version` lies strictly inside `interval`, past its start and before its end. */
function inside(version: string, interval: AffectedInterval): boolean | undefined {
  const after = isAfter(version, interval.introduced);
  const end = interval.fixed ?? interval.lastAffected;
  if (after === undefined || end === undefined) return after;
  const order = compareVersions(version, end);
  return order === undefined ? undefined : after && order < 0;
}

/**
 * Combines the `affected` and `fixed` texts, with the project's release lines (e.g. "2.4",
 * "2.3"; without them a version's line is the version without its last part):
 * - `affected` ranges keep their own upper bounds; a fixed version equal to one is used up.
 * - Fixed versions inside a range cut it, one range per release line (see `splitAtFixes`):
 *   `>=1.0, <2.4.1` fixed in 2.4.1 and 2.3.9 gives `[1.0, 2.3.9)` and `[2.4.0, 2.4.1)`.
 * - One open-ended range (`>=1.0`) ends at the fixed versions after it, likewise per line.
 * - No `affected` text: everything before the fixes (`introduced: "0"`), per line.
 * - A fixed version no range contains, or when versions cannot be ordered, is `unaffected`.
 */
export function planVersions(
  affected?: string,
  fixed?: string,
  releaseLines: readonly string[] = [],
): VersionPlan {
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
  if (!affectedText && remaining.length > 0) plan.intervals = [{ introduced: '0' }];
  if (!affectedText || parsedAffected) {
    const ends = new Set(plan.intervals.flatMap((i) => [i.fixed, i.lastAffected]));
    remaining = remaining.filter((version) => !ends.has(version));
    const open = plan.intervals.filter((i) => !i.fixed && !i.lastAffected);
    plan.intervals = plan.intervals.flatMap((interval) => {
      const isOpen = !interval.fixed && !interval.lastAffected;
      // Two open ranges: which one a fix closes would be a guess.
      if (isOpen && open.length !== 1) return [interval];
      const fixes = remaining.filter((version) => inside(version, interval) === true);
      if (fixes.length === 0) return [interval];
      const split = splitAtFixes(interval, fixes, releaseLines, compareVersions);
      if (!split) return [interval];
      remaining = remaining.filter((version) => !fixes.includes(version));
      return split;
    });
    // With no fix readable for it, the "everything" range of an empty `affected` says nothing.
    if (!affectedText && plan.intervals.some((i) => !i.fixed && !i.lastAffected)) {
      plan.intervals = [];
    }
  }
  plan.unaffected = remaining;
  return plan;
}

/** The concrete versions an interval names (not the "0" sentinel). */
export function intervalVersions(interval: AffectedInterval): string[] {
  return [interval.introduced, interval.fixed, interval.lastAffected].filter(
    (v): v is string => v !== undefined && v !== '0',
  );
}
