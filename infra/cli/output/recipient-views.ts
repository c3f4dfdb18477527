import escapeHtml from 'escape-html';
import type { CaseRecord } from '../../../shared/cases/case-record';
import { recipientSummaries } from '../../../shared/distributors/recipient-summary';
import { noticeRound } from '../../../shared/notices/notice-round';
import { recipientStateParts } from '../../../shared/notices/recipient-tracking';
import { formatUtc } from '../../../shared/time/utc-text';
import { terminalSafe } from './terminal-text';

/**
 * Who knows, who confirmed, who is affected, who is silent: the case's recipients in the notice
 * round it is in now (maintainers only: the case view, `cases` and the case page).
 */
function current(record: CaseRecord) {
  return recipientSummaries(record, noticeRound(record));
}

/**
 * The compact `cases` column ("Confirmed"), 12 wide for up to nine recipients so that it fits
 * 80 columns: how many confirmed of those told the current date, and how many of them are
 * silent ("1/3 2 silent", "3/3 ok"); "-" before any notice.
 */
export function recipientsCell(record: CaseRecord): string {
  const told = current(record).filter((s) => s.sentAt);
  if (!told.length) return record.recipients?.length ? 'date moved' : '-';
  const confirmed = told.filter((s) => s.confirmedAt).length;
  const silent = told.filter((s) => s.silent).length;
  return `${confirmed}/${told.length}${silent ? ` ${silent} silent` : ' ok'}`;
}

/** The case view's lines: a heading with the counts, then each recipient on two lines. */
export function recipientLines(record: CaseRecord): string[] {
  const summaries = current(record);
  if (!summaries.length) return [];
  const date = record.disclosureAt ? formatUtc(record.disclosureAt) : 'no date';
  return [
    `Recipients  ${recipientsCell(record)} (for the date ${date})`,
    ...summaries.flatMap((s) => {
      const parts = recipientStateParts(s, record);
      return [
        `  ${terminalSafe(s.name)} <${terminalSafe(s.address)}>`,
        `    ${parts.sent}; ${terminalSafe(parts.confirmed)}; status ${terminalSafe(parts.status)}`,
        `    last word ${terminalSafe(parts.lastWord)}`,
      ];
    }),
  ];
}

/** The case page's table of recipients (every value escaped: names and words come from mail). */
export function recipientsHtml(record: CaseRecord): string {
  const summaries = current(record);
  if (!summaries.length) return '';
  const e = (text: string) => escapeHtml(text);
  const rows = summaries.map((s) => {
    const parts = recipientStateParts(s, record);
    const silent = s.silent ? ' class="silent"' : '';
    return `<tr${silent}><td>${e(s.name)}<br><span class="when">${e(s.address)}</span></td><td>${e(parts.sent)}</td><td>${e(parts.confirmed)}</td><td>${e(parts.status)}</td><td>${e(parts.lastWord)}</td></tr>`;
  });
  return [
    `<h2>Distributors</h2>`,
    `<p>${e(recipientsCell(record))} for the date ${e(record.disclosureAt ? formatUtc(record.disclosureAt) : '(none)')}. Maintainers only.</p>`,
    '<table class="recipients"><tr><th>Recipient</th><th>Sent</th><th>Confirmed</th><th>Status</th><th>Last word</th></tr>',
    ...rows,
    '</table>',
  ].join('\n');
}
