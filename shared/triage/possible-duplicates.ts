import type { CaseId } from '../cases/case-id';
import type { ComparedCase } from '../cases/compared-case';
import type { CaseUpdate, PossibleDuplicate, StoredReportIndex } from '../cases/case-record';
import { identifierKinds, type BugIdentifier, type IdentifierKind } from './bug-identifiers';
import { findDuplicates } from './duplicate-detector';
import { reportFingerprint, type ReportFingerprint } from './report-fingerprint';

/** Disclosed cases are compared this long after disclosure: a late report of a fixed bug. */
const DISCLOSED_COMPARED_MS = 365 * 24 * 3_600_000;
/** The copy names at most this many: beyond them, the maintainers are better served by search. */
const MOST_NAMED = 3;

/** The index kept of a report: its subject and text; the project's name says nothing. */
export function reportIndexOf(subject: string, text: string, project: string): StoredReportIndex {
  return reportFingerprint(`${subject}\n${text}`, [project]);
}

function fingerprintOf(index: StoredReportIndex): ReportFingerprint {
  const isKind = (kind: string): kind is IdentifierKind =>
    (identifierKinds as readonly string[]).includes(kind);
  return {
    terms: index.terms,
    // A kind a newer version added is left out, not misread.
    identifiers: index.identifiers.filter((i): i is BugIdentifier => isKind(i.kind)),
    classes: index.classes,
  };
}

/** Whether a maintainer said the two cases are different bugs (either way round). */
export function decidedNotDuplicate(a: ComparedCase, b: ComparedCase): boolean {
  return Boolean(a.notDuplicateOf?.includes(b.id) || b.notDuplicateOf?.includes(a.id));
}

/**
 * The cases a new report is compared with: open ones, and those disclosed in the last year;
 * not the case itself, not a case closed as a duplicate, and no pair a maintainer ruled out.
 */
export function comparableCases(
  record: ComparedCase,
  cases: ComparedCase[],
  now: Date,
): ComparedCase[] {
  return cases.filter(
    (c) =>
      c.id !== record.id &&
      c.reportIndex !== undefined &&
      c.resolution !== 'duplicate' &&
      (c.status !== 'closed' ||
        (c.disclosedAt !== undefined &&
          now.getTime() - Date.parse(c.disclosedAt) <= DISCLOSED_COMPARED_MS)) &&
      !decidedNotDuplicate(record, c),
  );
}

/** The earlier cases a new case's report may repeat, most likely first. */
export function possibleDuplicates(
  record: ComparedCase,
  cases: ComparedCase[],
  now: Date,
): PossibleDuplicate[] {
  if (!record.reportIndex) return [];
  const compared = comparableCases(record, cases, now).map((c) => ({
    key: c.id,
    fingerprint: fingerprintOf(c.reportIndex!),
  }));
  return findDuplicates<CaseId>(fingerprintOf(record.reportIndex), compared)
    .slice(0, MOST_NAMED)
    .map((c) => ({ caseId: c.key, score: Math.round(c.score * 100) / 100, reasons: c.reasons }));
}

/** For the maintainers' copy: "Possibly the same as SEC-… (why: …)", one line a case. */
export function possibleDuplicatesText(found: PossibleDuplicate[]): string | undefined {
  if (!found.length) return undefined;
  return [
    ...found.map((d) => `Possibly the same as ${d.caseId} (why: ${d.reasons.join('; ')}).`),
    `If so, sign \`/duplicate ${found[0]!.caseId}\`; if not, \`/not-duplicate\` and the pair is not flagged again.`,
  ].join('\n');
}

/** What the case records of the check: the candidates, and an event saying so. */
export function possibleDuplicatesUpdate(
  found: PossibleDuplicate[],
  at: string,
  actor: string,
): CaseUpdate | undefined {
  if (!found.length) return undefined;
  return {
    fields: { possibleDuplicates: found },
    events: [
      {
        id: 'possible-duplicate',
        at,
        type: 'possible-duplicate',
        actor,
        summary: `Possibly the same as ${found.map((d) => d.caseId).join(', ')} (shown to the maintainers with the reasons)`,
        authentication: { method: 'system' },
      },
    ],
  };
}
