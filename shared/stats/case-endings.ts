import { resolutions, type CaseRecord } from '../cases/case-record';

/** How the cases of a period ended, by the ending on record. */
export interface CaseEndings {
  /** No ending recorded yet (open, or closed before endings were recorded). */
  none: number;
  /** Each ending this version knows (`resolutions`), zero included. */
  known: Record<string, number>;
  /** Endings on record that this version does not know (written by a newer one), by name. */
  unknown: Record<string, number>;
  /** Reports found to be another case's: ended as duplicates, or linked to the other case. */
  duplicates: number;
  outOfScope: number;
  invalid: number;
}

/** The name an out-of-scope ending goes by on the record. */
export const OUT_OF_SCOPE = 'out-of-scope';

export function caseEndings(records: CaseRecord[]): CaseEndings {
  const known: Record<string, number> = Object.fromEntries(resolutions.map((r) => [r, 0]));
  const unknown: Record<string, number> = {};
  let none = 0;
  for (const record of records) {
    // Read as text: a store may hold an ending a newer version wrote.
    const ending: string | undefined = record.resolution;
    if (!ending) none++;
    else if (ending in known) known[ending]!++;
    else unknown[ending] = (unknown[ending] ?? 0) + 1;
  }
  const count = (ending: string) => known[ending] ?? unknown[ending] ?? 0;
  return {
    none,
    known,
    unknown,
    duplicates: records.filter((r) => r.resolution === 'duplicate' || r.duplicateOf).length,
    outOfScope: count(OUT_OF_SCOPE),
    invalid: count('invalid'),
  };
}
