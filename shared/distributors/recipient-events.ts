import type { Authentication } from '../cases/case-record';
import type { CaseRecipient, DistributorStatus } from '../cases/case-recipient';

/** Who an event is about: a distributor as the list names it. */
export interface RecipientRef {
  email: string;
  name: string;
}

/** Something that happened between Embargo and one recipient of a case. */
export type RecipientEvent =
  | { kind: 'invited'; at: string; round: string }
  | { kind: 'notice-sent'; at: string; round: string }
  | { kind: 'reminded'; at: string; round: string }
  | { kind: 'lapsed'; at: string }
  | { kind: 'accepted'; at: string; authentication: Authentication }
  | { kind: 'declined'; at: string; authentication: Authentication }
  | { kind: 'received'; at: string; round: string; authentication: Authentication }
  | {
      kind: 'status';
      at: string;
      round: string;
      value: DistributorStatus;
      detail?: string;
      authentication: Authentication;
    }
  | {
      kind: 'date-request';
      at: string;
      round: string;
      date: string;
      reason: string;
      authentication: Authentication;
    }
  /** Any mail from the distributor's address: free text, or mail that carries no authority. */
  | { kind: 'word'; at: string; summary: string; authentication: Authentication };

/** Only a signature by the distributor's registered key gives a line authority. */
export function carriesAuthority(authentication: Authentication): boolean {
  return authentication.method === 'pgp-signature';
}

const sameAddress = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The case's record of this distributor, if it has one. */
export function recipientOf(
  recipients: readonly CaseRecipient[] | undefined,
  address: string,
): CaseRecipient | undefined {
  return recipients?.find((r) => sameAddress(r.address, address));
}

function lastWordOf(event: RecipientEvent): string | undefined {
  switch (event.kind) {
    case 'accepted':
      return '/accept';
    case 'declined':
      return '/decline';
    case 'received':
      return '/received';
    case 'status':
      return `/status ${event.value}${event.detail ? ` ${event.detail}` : ''}`;
    case 'date-request':
      return `/need-date ${event.date.slice(0, 10)} ${event.reason}`;
    case 'word':
      return event.summary;
    default:
      return undefined;
  }
}

/** One recipient after an event. Lines without authority change only the last word. */
export function applyToRecipient(current: CaseRecipient, event: RecipientEvent): CaseRecipient {
  const next: CaseRecipient = { ...current };
  const said = lastWordOf(event);
  if (said !== undefined && 'authentication' in event) {
    next.lastWord = { at: event.at, summary: said, authentication: event.authentication };
    if (event.kind !== 'word' && !carriesAuthority(event.authentication)) return next;
  }
  switch (event.kind) {
    case 'invited':
      next.invited = { at: event.at, round: event.round };
      if (!next.consent) next.consent = { state: 'invited', at: event.at };
      break;
    case 'notice-sent':
      next.noticeSent = { at: event.at, round: event.round };
      break;
    case 'reminded':
      next.reminded = { at: event.at, round: event.round };
      break;
    case 'lapsed':
      // Only an open invitation lapses; an answer given stays.
      if (next.consent?.state === 'invited') next.consent = { state: 'lapsed', at: event.at };
      break;
    case 'accepted':
      // A decline or a lapse is final: no details ever go to that recipient.
      if (next.consent?.state === 'invited') next.consent = { state: 'accepted', at: event.at };
      break;
    case 'declined':
      if (next.consent?.state !== 'lapsed') next.consent = { state: 'declined', at: event.at };
      break;
    case 'received':
      next.confirmed = { at: event.at, round: event.round };
      break;
    case 'status':
      next.status = {
        value: event.value,
        ...(event.detail ? { detail: event.detail } : {}),
        at: event.at,
        round: event.round,
      };
      break;
    case 'date-request':
      next.dateRequests = [
        ...(next.dateRequests ?? []),
        { date: event.date, reason: event.reason, at: event.at, round: event.round },
      ];
      break;
    case 'word':
      break;
  }
  return next;
}

/**
 * The case's recipients after an event about one distributor: its entry is created on first
 * mention (with the name from the list) and replaced, the others are kept as they were.
 */
export function applyRecipientEvent(
  recipients: readonly CaseRecipient[] | undefined,
  who: RecipientRef,
  event: RecipientEvent,
): CaseRecipient[] {
  const list = [...(recipients ?? [])];
  const index = list.findIndex((r) => sameAddress(r.address, who.email));
  const current = index >= 0 ? list[index]! : { address: who.email.toLowerCase(), name: who.name };
  const next = applyToRecipient(current, event);
  if (index >= 0) list[index] = next;
  else list.push(next);
  return list;
}
