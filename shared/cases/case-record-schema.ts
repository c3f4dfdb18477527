import * as z from 'zod/mini';
import { StoredItemInvalidError } from '../errors';
import { validate } from '../validation/validate';
import { parseCaseId } from './case-id';
import type { CaseRecord } from './case-record';

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
  resolution: z.optional(z.enum(['fixed', 'invalid', 'wontfix', 'duplicate'])),
  disclosureAt: optionalText,
  advanceNoticesSent: z.optional(z.array(text)),
  cwes: z.optional(z.array(text)),
  credits: z.optional(z.array(z.looseObject({ name: text }))),
  patches: z.optional(z.array(z.looseObject({ filename: text, key: text }))),
  ghsa: z.optional(z.looseObject({ ghsaId: text })),
  reporterKey: z.optional(z.looseObject({ fingerprint: text, armored: text })),
  // Notices and distributors' answers find a recipient by its address.
  recipients: z.optional(z.array(z.looseObject({ address: text, name: text }))),
  distributorSelection: z.optional(z.array(z.looseObject({ address: text, name: text }))),
  version: z.int().check(z.nonnegative()),
  history: z.array(storedEvent),
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
