import type { EmbargoConfig } from '../../config/embargo-config';
import type { Logger } from '../../logging/logger';
import type { InboundMail, MailDelivery } from '../../mail/inbound-mail';
import { singleLine } from '../../mail/single-line';
import type { MailDispatcher } from '../../outbound/mail-dispatcher';
import type { Admission, AdmissionVerdict } from './admission';
import { floodNotice } from './flood-notice';

/** What intake needs to keep a flood bounded: the check, and mail for the sender notice. */
export interface FloodDependencies {
  admission: Admission;
  dispatcher: MailDispatcher;
}

/** Subjects in the digest and the ledger are cut to this many characters. */
const SUBJECT_CHARS = 120;

/** The ledger's record of a collected message: also what the digest lists. */
export type FloodOutcome = {
  kind: 'flood';
  scope: Extract<AdmissionVerdict, { admitted: false }>['scope'];
  category: Extract<AdmissionVerdict, { admitted: false }>['category'];
  /** As the sender wrote it, made one line (outside text, shown to maintainers). */
  subject: string;
  sizeBytes: number;
};

/**
 * A message refused by the admission check: its raw mail stays stored, its outcome lists it
 * for the maintainers' hourly digest, and only the first refused in a window gets the notice.
 * Nothing is decrypted, no case changes, no copy goes out.
 */
export async function collectFlood(
  deps: { config: EmbargoConfig; flood: FloodDependencies; log: Logger },
  input: {
    delivery: MailDelivery;
    mail: InboundMail;
    sender: string;
    sizeBytes: number;
    verdict: Extract<AdmissionVerdict, { admitted: false }>;
  },
): Promise<FloodOutcome> {
  const { delivery, mail, sender, verdict } = input;
  if (verdict.notify) {
    await deps.flood.dispatcher.dispatch(floodNotice(deps.config, sender, verdict));
    deps.log.warn('intake.flood-started', {
      messageId: delivery.messageId,
      sender,
      scope: verdict.scope,
      category: verdict.category,
      until: verdict.windowEnd,
    });
  }
  // The ledger's outcome is the collection: no write of its own (see flood-collection.ts).
  return {
    kind: 'flood',
    scope: verdict.scope,
    category: verdict.category,
    subject: singleLine(mail.subject, SUBJECT_CHARS),
    sizeBytes: input.sizeBytes,
  };
}
