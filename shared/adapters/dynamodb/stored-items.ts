import * as z from 'zod/mini';
import { parseCaseId, type CaseId } from '../../cases/case-id';
import { StoredItemInvalidError } from '../../errors';
import { noticeKinds } from '../../notices/notice-scheduler';
import { validate } from '../../validation/validate';

/*
 * The table's items other than cases (those are checked by cases/case-record-schema.ts), as
 * the adapters read them back. Each schema checks the attributes an operation reads, and only
 * those: loose, so attributes a newer version added pass and a rollback can read. An item
 * written by an older version, or damaged, fails here with its key and what is wrong, rather
 * than turning into the text "undefined" further on.
 */

const text = z.string();
const optionalText = z.optional(text);
const caseId = z.pipe(
  text.check(z.refine((id) => parseCaseId(id) === id, 'not a case id')),
  z.transform((id) => id as CaseId),
);

/** Any item that one writer claimed first (fingerprints, signatures, ciphertexts). */
export const claimItem = z.looseObject({ owner: text });

/** An item someone may hold (inbound deliveries, notices); `heldUntil` goes when released. */
export const heldItem = z.looseObject({ heldUntil: optionalText });

const inboundOutcome = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('case'), caseId }),
  z.looseObject({ kind: z.literal('follow-up'), caseId }),
  z.looseObject({ kind: z.literal('duplicate'), duplicateOf: text }),
  z.looseObject({ kind: z.literal('rejected'), reason: text }),
  z.looseObject({ kind: z.literal('quarantined'), reason: text }),
  z.looseObject({
    kind: z.literal('flood'),
    scope: text,
    category: text,
    subject: text,
    sizeBytes: z.number(),
  }),
]);

/** INBOUND#<messageId> once anything is recorded for it (a hold alone records nothing). */
export const inboundItem = z.looseObject({
  messageId: text,
  receivedAt: text,
  sender: text,
  reservedCaseId: z.optional(caseId),
  outcome: z.optional(inboundOutcome),
});

/** INBOUND#<messageId> as a hold or a reservation leaves it: perhaps nothing else yet. */
export const reservationItem = z.looseObject({ reservedCaseId: z.optional(caseId) });

/** INBOUND#<messageId> right after a case id was reserved for it. */
export const reservedItem = z.looseObject({ reservedCaseId: caseId });

/** OUTBOX#<key>: the Message-ID a mail goes out with, and whether it went. */
export const outboxItem = z.looseObject({
  messageIdHeader: text,
  sentAt: optionalText,
  deliveredAs: optionalText,
});

/**
 * SENT#<Message-ID>: the case a sent mail belongs to. Entries from before sends were timed
 * have no `sentAt`, and from before recipients were recorded no `sentToParty`/`sentToAddress`.
 */
export const sentItem = z.looseObject({
  caseId,
  sentAt: optionalText,
  deliveredAs: optionalText,
  sentToParty: z.optional(z.enum(['reporter', 'maintainer', 'other'])),
  sentToAddress: optionalText,
});

/** TOKEN#<token>: a reply token from before tokens named their case (read only). */
export const replyTokenItem = z
  .looseObject({
    caseId,
    party: z.optional(z.enum(['reporter', 'maintainer'])),
    address: optionalText,
  })
  .check(
    z.refine((item) => item.party !== 'maintainer' || item.address !== undefined, {
      message: "a maintainer's token names the maintainer's address",
      path: ['address'],
    }),
  );

/** DISTRIBUTOR#<email>: one member of the advance-notification list. */
export const distributorItem = z.looseObject({
  email: text,
  name: text,
  publicKeyArmored: text,
  fingerprint: text,
  addedAt: text,
  /** Per distributor, overriding the project's distributorConsent (absent: the project's). */
  consent: z.optional(z.enum(['with-notice', 'before-details'])),
  /** An IANA zone, checked when the distributor was added (and again as it is read). */
  timeZone: optionalText,
  /** Consent to be named in public records; absent or false: never named. */
  nameInPublicRecords: z.optional(z.boolean()),
});

/** CVEWATCH#<case id>: a case waiting for the CVE id GitHub was asked for. */
export const cveWatchItem = z.looseObject({ caseId, markedAt: text });

/** SCHEDULE#<name> (local mode only): a notice schedule and the trigger it fires. */
export const scheduleItem = z.looseObject({
  name: text,
  at: text,
  trigger: z.looseObject({
    caseId,
    // Every kind the planner schedules: a kind left out here made the local scheduler unreadable.
    kind: z.enum(noticeKinds),
    disclosureAt: text,
  }),
});

type Key = { pk: string; sk: string };

/**
 * An item read back, checked against its schema: a StoredItemInvalidError naming the item's key
 * (`key`, or the item's own `pk`/`sk`) and every problem when it is not in that shape. A missing
 * item is checked as an empty one, so an item that should be there and is not fails the same way.
 */
export function readItem<S extends z.ZodMiniType>(
  schema: S,
  item: Record<string, unknown> | undefined,
  key?: Key,
): z.output<S> {
  const checked = validate(schema, item ?? {});
  if (checked.success) return checked.data;
  const where = key ?? { pk: String(item?.pk), sk: String(item?.sk) };
  throw new StoredItemInvalidError(`${where.pk} / ${where.sk}`, checked.problems);
}
