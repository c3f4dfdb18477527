/**
 * The files of a directory-based CSAF provider (CSAF 2.0 section 7.1, requirements 11 to 13, 18
 * and 19) for one CSAF document: where it goes, its hash files, and the `index.txt` and
 * `changes.csv` that list it. Pure; the signature (`.asc`) is made by the caller with the
 * project key, and served beside the document like the hashes.
 */
import { createHash } from 'node:crypto';

/** The parts of a CSAF document these files are named and listed by. */
export interface CsafTracking {
  id: string;
  initialReleaseDate: string;
  currentReleaseDate: string;
  version: string;
}

/** The tracking block of a CSAF document (`document.tracking`), as this module uses it. */
export function csafTracking(csafJson: Buffer): CsafTracking {
  const doc = JSON.parse(csafJson.toString('utf8')) as {
    document?: {
      tracking?: {
        id?: unknown;
        initial_release_date?: unknown;
        current_release_date?: unknown;
        version?: unknown;
      };
    };
  };
  const t = doc.document?.tracking;
  if (
    typeof t?.id !== 'string' ||
    typeof t.initial_release_date !== 'string' ||
    typeof t.current_release_date !== 'string' ||
    typeof t.version !== 'string'
  )
    throw new RangeError('not a CSAF document: document.tracking lacks id, dates or version');
  return {
    id: t.id,
    initialReleaseDate: t.initial_release_date,
    currentReleaseDate: t.current_release_date,
    version: t.version,
  };
}

/**
 * The file name of section 5.1: the tracking id in lower case, every run of characters other
 * than `a-z`, `0-9`, `+` and `-` replaced by one `_`, then `.json`.
 */
export function csafFilename(trackingId: string): string {
  return `${trackingId.toLowerCase().replace(/[^+\-a-z0-9]+/g, '_')}.json`;
}

/**
 * Where the document goes inside the provider's directory (requirement 11): the year of
 * `initial_release_date`, then the file name.
 */
export function csafDocumentPath(tracking: CsafTracking): string {
  const year = new Date(tracking.initialReleaseDate).getUTCFullYear();
  if (!Number.isFinite(year)) throw new RangeError(`not a date: ${tracking.initialReleaseDate}`);
  return `${String(year).padStart(4, '0')}/${csafFilename(tracking.id)}`;
}

export const HASH_ALGORITHMS = ['sha256', 'sha512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/**
 * A hash file of requirement 18: the hexadecimal hash first, then (optional there, given here as
 * `sha256sum` writes it, so that `sha256sum -c` checks it) two spaces and the file name.
 */
export function hashFileText(content: Buffer, algorithm: HashAlgorithm, filename: string): string {
  return `${createHash(algorithm).update(content).digest('hex')}  ${filename}\n`;
}

/** `index.txt` (requirement 12) with `path` listed: one path per line, newest year first. */
export function withIndexEntry(indexTxt: string | undefined, path: string): string {
  const paths = new Set(linesOf(indexTxt));
  paths.add(path);
  return `${[...paths].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)).join('\n')}\n`;
}

/**
 * `changes.csv` (requirement 13) with the document's release listed: `"<path>","<date>"` per
 * line, no heading, the latest `current_release_date` first. Each release of a document is a
 * line of its own (the standard's example lists one document twice); listing one again changes
 * nothing.
 */
export function withChange(changesCsv: string | undefined, path: string, date: string): string {
  const line = `"${path}","${date}"`;
  const lines = linesOf(changesCsv);
  if (!lines.includes(line)) lines.push(line);
  const dateOf = (l: string) => Date.parse(/,"([^"]*)"$/.exec(l)?.[1] ?? '') || 0;
  // A stable sort: lines with the same instant keep their order.
  return `${lines.sort((a, b) => dateOf(b) - dateOf(a)).join('\n')}\n`;
}

function linesOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
