import stem from 'wink-porter2-stemmer';
import { eng as englishStopWords } from 'stopword';
import { bugIdentifiers, type BugIdentifier } from './bug-identifiers';
import { weaknessClasses } from './weakness-classes';

/**
 * What is kept of a report to compare later reports with it: its word stems with their counts,
 * what identifies the bug, and the weakness classes it names. Not the text: it cannot be read
 * back, though it holds the report's words, so it is stored as the case is (docs/triage.md).
 */
export interface ReportFingerprint {
  /** Porter2 stem → how often it occurs (the most frequent MAX_TERMS). */
  terms: Record<string, number>;
  identifiers: BugIdentifier[];
  classes: string[];
}

/** Enough for any report's vocabulary; a pasted log is cut, its identifiers are kept apart. */
export const MAX_TERMS = 250;

const stopWords = new Set(englishStopWords);

/** Lower-case words of two letters or more that are not numbers or stop words, stemmed. */
export function stems(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    if (word.length < 2 || /^\d+$/.test(word) || stopWords.has(word)) continue;
    out.push(stem(word));
  }
  return out;
}

/**
 * `ignore`: words every report of the project shares (its name), which would otherwise make any
 * two reports look alike where IDF has too few reports to learn that.
 */
export function reportFingerprint(text: string, ignore: readonly string[] = []): ReportFingerprint {
  const ignored = new Set(ignore.flatMap(stems));
  const counts = new Map<string, number>();
  const words = stems(text).filter((s) => !ignored.has(s));
  for (const s of words) counts.set(s, (counts.get(s) ?? 0) + 1);
  const terms = Object.fromEntries(
    [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_TERMS),
  );
  const identifiers = bugIdentifiers(text);
  const cwes = identifiers.filter((i) => i.kind === 'cwe').map((i) => i.value);
  return { terms, identifiers, classes: weaknessClasses(text, cwes) };
}
