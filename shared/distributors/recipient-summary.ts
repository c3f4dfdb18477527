import type { CaseRecord } from '../cases/case-record';
import type {
  CaseRecipient,
  ConsentState,
  DistributorStatusRecord,
  LastWord,
} from '../cases/case-recipient';

/**
 * One line of "who knows, who confirmed, who is affected, who is silent" for a recipient, in
 * the notice round the case is in now. Maintainers only.
 */
export interface RecipientSummary {
  name: string;
  address: string;
  /** When the notice (or, with consent first, the invitation) for the current round went out. */
  sentAt?: string;
  /** Whether what went out was the invitation only (no details yet). */
  invitationOnly: boolean;
  consent?: ConsentState;
  /** When it confirmed (`/received`) the current round; absent when it has not. */
  confirmedAt?: string;
  /** It confirmed an earlier round (an earlier date) but not this one. */
  confirmedEarlierRound: boolean;
  status?: DistributorStatusRecord;
  lastWord?: LastWord;
  /** Told in this round, has not confirmed it (or accepted the invitation), has not declined. */
  silent: boolean;
}

/** Summaries of every recipient, in the order they were first told. */
export function recipientSummaries(record: CaseRecord, currentRound: string): RecipientSummary[] {
  return (record.recipients ?? []).map((r) => recipientSummary(r, currentRound));
}

export function recipientSummary(recipient: CaseRecipient, currentRound: string): RecipientSummary {
  const notice = recipient.noticeSent?.round === currentRound ? recipient.noticeSent : undefined;
  const invitation = recipient.invited?.round === currentRound ? recipient.invited : undefined;
  const sent = notice ?? invitation;
  const confirmed =
    recipient.confirmed?.round === currentRound ? recipient.confirmed.at : undefined;
  const declined = recipient.consent?.state === 'declined' || recipient.consent?.state === 'lapsed';
  return {
    name: recipient.name,
    address: recipient.address,
    ...(sent ? { sentAt: sent.at } : {}),
    invitationOnly: !notice && !!invitation,
    ...(recipient.consent ? { consent: recipient.consent.state } : {}),
    ...(confirmed ? { confirmedAt: confirmed } : {}),
    confirmedEarlierRound: !confirmed && !!recipient.confirmed,
    ...(recipient.status ? { status: recipient.status } : {}),
    ...(recipient.lastWord ? { lastWord: recipient.lastWord } : {}),
    // An accepted invitation is an answer; the details notice that follows asks again.
    silent:
      !!sent && !confirmed && !declined && !(!notice && recipient.consent?.state === 'accepted'),
  };
}
