import type { CaseRecord } from '../cases/case-record';
import type { RecipientSummary } from '../distributors/recipient-summary';
import { formatUtc } from '../time/utc-text';

/** The disclosure date a notice round told (notice-round.ts: the date, then `/<changes>`). */
export function roundDate(round: string): string {
  return round.split('/')[0] ?? round;
}

const short = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;

/**
 * Where one recipient stands in the current round, in a line maintainers read (case view,
 * case page, the mails about silence): sent, confirmed (or for which old date), status, last word.
 */
export function recipientStateParts(
  summary: RecipientSummary,
  record: Pick<CaseRecord, 'recipients'>,
): { sent: string; confirmed: string; status: string; lastWord: string } {
  const recipient = record.recipients?.find((r) => r.address === summary.address);
  const sent = summary.sentAt
    ? `${summary.invitationOnly ? 'invited' : 'sent'} ${short(summary.sentAt)}`
    : recipient?.noticeSent
      ? `sent for ${formatUtc(roundDate(recipient.noticeSent.round))} only`
      : 'not sent';
  const confirmed = summary.confirmedAt
    ? `confirmed ${short(summary.confirmedAt)}`
    : summary.confirmedEarlierRound && recipient?.confirmed
      ? `NOT for this date (confirmed the old date ${formatUtc(roundDate(recipient.confirmed.round))})`
      : summary.silent
        ? 'SILENT (not confirmed)'
        : summary.consent === 'declined' || summary.consent === 'lapsed'
          ? summary.consent
          : '-';
  const status = summary.status
    ? `${summary.status.value}${summary.status.detail ? ` ${summary.status.detail}` : ''}`
    : '-';
  const lastWord = summary.lastWord
    ? `${short(summary.lastWord.at)} ${summary.lastWord.summary}${
        summary.lastWord.authentication.method === 'pgp-signature' ? ' (signed)' : ' (UNSIGNED)'
      }`
    : '-';
  return { sent, confirmed, status, lastWord };
}
