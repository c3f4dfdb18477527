/**
 * Release lines: a fix shipped on several supported lines (`/fixed 2.4.1, 2.3.9`) ends one range
 * per line, so that each fixed version is outside every range (OSV reads a version as affected
 * when any range contains it). Pure.
 */

/**
 * One affected range: from `introduced` (inclusive; `"0"` = before every version) up to `fixed`
 * (exclusive) or `lastAffected` (inclusive), or open-ended when it has neither.
 */
export interface AffectedInterval {
  introduced: string;
  fixed?: string;
  lastAffected?: string;
}

const NUMERIC = /^(v?)(\d+(?:\.\d+)*)$/;

/** A configured line as people write it ("2.4", "2.4.x", "v2"), as its numeric parts. */
function lineParts(line: string): number[] | undefined {
  const match = NUMERIC.exec(line.trim().replace(/\.[x*]$/i, ''));
  return match?.[2] ? match[2].split('.').map(Number) : undefined;
}

/**
 * The release line a plain dotted version belongs to, as numeric parts: the longest configured
 * line that is a prefix of it, else the version without its last part ("2.3.9" → 2.3).
 * `undefined` for versions that are not plain dotted numbers, or have a single part.
 */
export function releaseLineOf(version: string, lines: readonly string[]): number[] | undefined {
  const match = NUMERIC.exec(version);
  if (!match?.[2]) return undefined;
  const parts = match[2].split('.').map(Number);
  const configured = lines
    .map(lineParts)
    .filter((line): line is number[] => line !== undefined && line.length < parts.length)
    .filter((line) => line.every((n, i) => parts[i] === n))
    .sort((a, b) => b.length - a.length)[0];
  if (configured) return configured;
  return parts.length > 1 ? parts.slice(0, -1) : undefined;
}

/**
 * The first version after a release line, written like `like`: line 2.3 of "2.3.9" → "2.4.0",
 * line 1 of "v1.9.8" → "v2.0.0". It is a boundary, not a claim that the version exists.
 */
export function nextLineStart(line: number[], like: string): string {
  const match = NUMERIC.exec(like);
  const width = match?.[2]?.split('.').length ?? line.length + 1;
  const next = [...line.slice(0, -1), (line[line.length - 1] ?? 0) + 1];
  while (next.length < width) next.push(0);
  return `${match?.[1] ?? ''}${next.join('.')}`;
}

type Compare = (a: string, b: string) => number | undefined;

/**
 * Cuts `interval` at the fixed versions inside it, one range per release line:
 * `[0, ∞)` with fixes 2.4.1 and 2.3.9 → `[0, 2.3.9)` and `[2.4.0, 2.4.1)`. An open interval
 * ends at its highest fix; a closed one keeps its own end after the last fix inside it.
 * `undefined` when that cannot be done without guessing (versions that cannot be ordered, two
 * fixes on one line); the caller then keeps the interval as it is.
 */
export function splitAtFixes(
  interval: AffectedInterval,
  fixes: readonly string[],
  lines: readonly string[],
  compare: Compare,
): AffectedInterval[] | undefined {
  const ordered = [...fixes].sort((a, b) => compare(a, b) ?? 0);
  if (ordered.some((f, i) => i > 0 && compare(f, ordered[i - 1]!) !== 1)) return undefined;
  const closed = interval.fixed !== undefined || interval.lastAffected !== undefined;
  const segments: AffectedInterval[] = [];
  let start = interval.introduced;
  for (const [i, fix] of ordered.entries()) {
    segments.push({ introduced: start, fixed: fix });
    const next = ordered[i + 1];
    if (next === undefined && !closed) break;
    // A range follows this fix: it starts where the fix's release line ends.
    const line = releaseLineOf(fix, lines);
    if (!line) return undefined;
    start = nextLineStart(line, fix);
    // The next fix on the same line as this one: which versions it fixes would be a guess.
    if (next !== undefined && compare(start, next) !== -1 && compare(start, next) !== 0) {
      return undefined;
    }
  }
  if (interval.fixed) segments.push({ introduced: start, fixed: interval.fixed });
  else if (interval.lastAffected) {
    segments.push({ introduced: start, lastAffected: interval.lastAffected });
  }
  // A line whose first version already has the fix was never affected: no empty range for it.
  return segments.filter((s) => {
    if (s.introduced === '0') return true;
    const end = s.fixed ?? s.lastAffected;
    const order = end === undefined ? 1 : compare(end, s.introduced);
    return s.fixed ? order === 1 : order !== undefined && order >= 0;
  });
}
