import type { EmbargoConfig } from '../../config/embargo-config';
import type { Logger } from '../../logging/logger';
import type { InboundMail, MailDelivery } from '../../mail/inbound-mail';
import { singleLine } from '../../mail/single-line';
import type { MailDispatcher } from '../../outbound/mail-dispatcher';
import type { Admission, AdmissionVerdict } from './admission';
import type { FloodCollection } from './flood-collection';
import { floodNotice } from './flood-notice';

/** What intake needs to keep a flood bounded: the check, where refused mail is listed, mail. */
export interface FloodDependencies {
  admission: Admission;
  collection: FloodCollection;
  dispatcher: MailDispatcher;
}

/** Subjects in the digest and the ledger are cut to this many characters. */
const SUBJECT_CHARS = 120;

export type FloodOutcome = {
  kind: 'flood';
  scope: Extract<AdmissionVerdict, { admitted: false }>['scope'];
  category: Extract<AdmissionVerdict, { admitted: false }>['category'];
};

/**
 * A message refused by the admission check: its raw mail stays stored, it is listed for the
 * maintainers' hourly digest, and only the first refused in a window gets the sender notice.
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
  await deps.flood.collection.collect({
    messageId: delivery.messageId,
    receivedAt: delivery.receivedAt.toISOString(),
    sender,
    subject: singleLine(mail.subject, SUBJECT_CHARS),
    sizeBytes: input.sizeBytes,
    scope: verdict.scope,
  });
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
  return { kind: 'flood', scope: verdict.scope, category: verdict.category };
}
