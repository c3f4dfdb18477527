import type { Authentication } from './authentication';

/**
 * A distributor's part in one case, as the case stores it (`recipients`). The functions that
 * change and read it are in shared/distributors/; the shape lives here, beside the case record
 * that holds it, as the GitHub advisory link does. Maintainers only: never in a mail to anyone
 * else, never in a public record.
 */
export interface CaseRecipient {
  /** The distributor's address, lower-cased: it identifies the recipient on the case. */
  address: string;
  name: string;
  /** With consent first: when the invitation (no details) went out, for which notice round. */
  invited?: RoundStamp;
  /** With consent first: where the distributor stands. Absent: details go with the notice. */
  consent?: { state: ConsentState; at: string };
  /** When the advance notice with the details last went out, and for which notice round. */
  noticeSent?: RoundStamp;
  /** The last signed `/received`, and for which round (a new date asks again). */
  confirmed?: RoundStamp;
  /** The last signed `/status`. */
  status?: DistributorStatusRecord;
  /** Signed `/need-date` requests, oldest first: requests only, the date is the maintainers'. */
  dateRequests?: DateRequest[];
  /** The last mail from the distributor's address, signed or not. */
  lastWord?: LastWord;
  /** When a reminder last went out, for which round. */
  reminded?: RoundStamp;
}

/** An instant and the notice round (shared/notices/notice-round.ts) it belongs to. */
export interface RoundStamp {
  at: string;
  round: string;
}

export const consentStates = ['invited', 'accepted', 'declined', 'lapsed'] as const;
export type ConsentState = (typeof consentStates)[number];

export const distributorStatuses = ['affected', 'not-affected', 'fixed'] as const;
export type DistributorStatus = (typeof distributorStatuses)[number];

export interface DistributorStatusRecord extends RoundStamp {
  value: DistributorStatus;
  /** The version or package the distributor named, as written. */
  detail?: string;
}

export interface DateRequest extends RoundStamp {
  /** The date asked for, ISO 8601 UTC. */
  date: string;
  reason: string;
}

export interface LastWord {
  at: string;
  /** One line: what the mail said or did, never its full text. */
  summary: string;
  /** How the mail was authenticated; `none` for unsigned or wrongly signed mail. */
  authentication: Authentication;
}
