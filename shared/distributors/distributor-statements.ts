import type { CaseRecord } from '../cases/case-record';
import type { CaseRecipient, DistributorStatus } from '../cases/case-recipient';

/**
 * What a distributor said, signed, about its own packages: `affected`, `not-affected` or
 * `fixed`, with the version or package it named. For the advisory records (CSAF VEX, one
 * product per distributor); it names the distributor, so whoever publishes it decides whether
 * that may be public (`publicDistributorStatements`).
 */
export interface DistributorStatement {
  distributor: string;
  status: DistributorStatus;
  /** The version or package, as the distributor wrote it. */
  detail?: string;
  at: string;
}

/** The list's side of the question: may this distributor be named in public records? */
export interface NamingConsent {
  email: string;
  nameInPublicRecords?: boolean;
}

function statementOf(r: CaseRecipient): DistributorStatement[] {
  // The case keeps only a signed `/status` (recipient-events.ts: an unsigned one changes
  // nothing but the last word), so every status here was signed by the distributor's key.
  const status = r.status;
  if (!status) return [];
  return [
    {
      distributor: r.name,
      status: status.value,
      ...(status.detail ? { detail: status.detail } : {}),
      at: status.at,
    },
  ];
}

/** Every distributor's signed status on the case: for the maintainers' own copies only. */
export function distributorStatements(record: CaseRecord): DistributorStatement[] {
  return (record.recipients ?? []).flatMap(statementOf);
}

/**
 * The statuses a public record may carry: only of distributors the list says consented to be
 * named (`nameInPublicRecords`). Being on a case's list is itself private, so the others are
 * left out entirely, not anonymised. A distributor no longer on the list has no consent.
 */
export function publicDistributorStatements(
  record: CaseRecord,
  list: readonly NamingConsent[],
): DistributorStatement[] {
  const consenting = new Set(
    list.filter((d) => d.nameInPublicRecords === true).map((d) => d.email.toLowerCase()),
  );
  return (record.recipients ?? [])
    .filter((r) => consenting.has(r.address.toLowerCase()))
    .flatMap(statementOf);
}
