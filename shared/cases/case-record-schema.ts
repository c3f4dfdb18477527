import * as z from 'zod/mini';
import { StoredItemInvalidError } from '../errors';
import { validate } from '../validation/validate';
import { parseCaseId } from './case-id';
import { resolutions, type CaseRecord } from './case-record';
import type { ComparedCase } from './compared-case';

const text = z.string();
const optionalText = z.optional(z.string());

/** One history entry: what every reader of the history (the chain check, the case page) uses. */
const storedEvent = z.looseObject({
  id: text,
  at: text,
  type: text,
  actor: text,
  summary: text,
  hash: optionalText,
});

/**
 * A case as a store holds it. The fields every operation reads are checked strictly; nested
 * details that only one feature reads (the GHSA link, credits, CVSS) are checked as objects and
 * left to that feature. Loose: attributes a newer version added pass, so a rollback can read.
 */
const storedCase = z.looseObject({
  id: z.string().check(z.refine((id) => parseCaseId(id) !== undefined, 'not a case id')),
  kind: z.optional(z.enum(['report', 'upstream'])),
  status: z.enum(['new', 'triaged', 'disclosed', 'closed']),
  reporter: z.looseObject({ address: text, name: optionalText }),
  subject: text,
  receivedAt: text,
  ackDueAt: text,
  reportMessageId: text,
  protection: z.looseObject({
    encryption: z.enum(['none', 'pgp-inline', 'pgp-mime', 'smime']),
    signatures: z.array(z.looseObject({})),
  }),
  severity: z.optional(z.enum(['low', 'medium', 'high', 'critical'])),
  resolution: z.optional(z.enum(resolutions)),
  labels: z.optional(z.array(text)),
  disclosureAt: optionalText,
  // Duplicate detection compares disclosed cases for a year after this date.
  disclosedAt: optionalText,
  advanceNoticesSent: z.optional(z.array(text)),
  cwes: z.optional(z.array(text)),
  credits: z.optional(z.array(z.looseObject({ name: text }))),
  patches: z.optional(z.array(z.looseObject({ filename: text, key: text }))),
  ghsa: z.optional(z.looseObject({ ghsaId: text })),
  reporterKey: z.optional(z.looseObject({ fingerprint: text, armored: text })),
  // Duplicate detection reads every open case's index: its shape is checked as it is read.
  reportIndex: z.optional(
    z.looseObject({
      terms: z.record(z.string(), z.number()),
      identifiers: z.array(z.looseObject({ kind: text, value: text })),
      classes: z.array(text),
    }),
  ),
  notDuplicateOf: z.optional(z.array(text)),
  // Notices and distributors' answers find a recipient by its address.
  recipients: z.optional(z.array(z.looseObject({ address: text, name: text }))),
  distributorSelection: z.optional(z.array(z.looseObject({ address: text, name: text }))),
  version: z.int().check(z.nonnegative()),
  history: z.array(storedEvent),
});

/** The fields of a case duplicate detection reads (compared-case.ts), checked as the case's are. */
const storedComparedCase = z.pick(storedCase, {
  id: true,
  status: true,
  resolution: true,
  disclosedAt: true,
  reportIndex: true,
  notDuplicateOf: true,
});

/**
 * A case read from a store, checked: a record written by an older version, or damaged, is a
 * StoredItemInvalidError naming where it is stored (`key`) and what is wrong, not a crash
 * further on. Adapters call it on every case they read.
 */
export function checkStoredCase(stored: unknown, key: string): CaseRecord {
  const checked = validate(storedCase, stored);
  if (!checked.success) throw new StoredItemInvalidError(key, checked.problems);
  // The checked shape is the part of CaseRecord a store can vouch for (see above).
  return checked.data as unknown as CaseRecord;
}

/** The part of a case a store returns for duplicate detection, checked as checkStoredCase does. */
export function checkStoredComparedCase(stored: unknown, key: string): ComparedCase {
  const checked = validate(storedComparedCase, stored);
  if (!checked.success) throw new StoredItemInvalidError(key, checked.problems);
  return checked.data as unknown as ComparedCase;
}
