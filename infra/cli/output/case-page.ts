import escapeHtml from 'escape-html';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import type { Authentication, CaseEvent, CaseRecord } from '../../../shared/cases/case-record';
import { verifyChain } from '../../../shared/cases/case-history';
import { embargoTimeline, type EmbargoTimeline } from '../../../shared/notices/embargo-timeline';
import { SUMMARY_BEFORE_MS } from '../../../shared/notices/embargo-planner';
import { hasEvent } from '../../../shared/cases/case-updates';
import { noticeRound, toldCurrentDate } from '../../../shared/notices/notice-round';
import { formatUtc } from '../../../shared/time/utc-text';
import { caseCredits, creditText } from '../../../shared/advisories/advisory-credits';
import { cvssText } from '../../../shared/advisories/cvss-score';
import { countOf } from '../../../shared/mail/count-text';
import { ossReminderAt } from '../../../shared/notices/oss-reminder';
import { describeAuthentication } from './case-views';
import { pageHead } from './page-head';
import { recordPlaces } from './record-places';
import { recipientsHtml } from './recipient-views';

/**
 * Escapes text for HTML element content and quoted attributes (escape-html: & < > " '). Every
 * value on the page goes through it: subjects, names, summaries and changes come from reporters.
 */
const e = (text: string | undefined) => escapeHtml(text ?? '');

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table.facts th { text-align: left; padding-right: 1rem; vertical-align: top; white-space: nowrap; }
.chain { padding: 0.5rem 0.8rem; border-radius: 4px; }
.chain.intact { background: #e6f4ea; border: 1px solid #7cb98a; }
.chain.broken { background: #fde8e8; border: 2px solid #c0392b; font-weight: bold; }
ol.timeline { list-style: none; margin: 0; padding: 0 0 0 1.2rem; border-left: 3px solid #888; }
ol.timeline > li { position: relative; margin: 0 0 1rem 0; padding-left: 0.6rem; }
ol.timeline > li::before { content: ''; position: absolute; left: -1.72rem; top: 0.35rem; width: 0.8rem; height: 0.8rem; border-radius: 50%; background: #888; }
ol.timeline > li.future::before { background: #fff; border: 2px solid #888; width: 0.6rem; height: 0.6rem; }
ol.timeline > li.commands::before { background: #2b6cb0; }
ol.timeline > li.notice::before { background: #b7791f; }
ol.timeline > li.problem::before { background: #c0392b; }
.when { font-family: ui-monospace, monospace; font-size: 0.9em; color: #555; }
.type { font-weight: bold; }
pre.advisory { white-space: pre-wrap; margin: 0; font-size: 0.9em; }
table.records th { text-align: left; padding-right: 1rem; vertical-align: top; font-family: ui-monospace, monospace; }
table.records td { overflow-wrap: anywhere; }
.detail { font-size: 0.9em; color: #444; margin: 0.1rem 0 0 0; white-space: pre-wrap; }
table.recipients { border-collapse: collapse; font-size: 0.9em; }
table.recipients th, table.recipients td { text-align: left; vertical-align: top; padding: 0.2rem 0.6rem 0.2rem 0; border-bottom: 1px solid #ddd; }
table.recipients tr.silent td { color: #c0392b; font-weight: bold; }
ul.changes { margin: 0.2rem 0 0 0; padding-left: 1.2rem; font-family: ui-monospace, monospace; font-size: 0.85em; }
@media print { body { margin: 0; max-width: none; } .chain.broken { border-color: #000; } }
`;

function authenticationText(auth: Authentication | undefined): string | undefined {
  return auth && auth.method !== 'none' ? describeAuthentication(auth) : undefined;
}

function eventClass(event: CaseEvent): string {
  if (event.type === 'commands-applied') return 'commands';
  if (event.type === 'advance-notice' || event.type === 'disclosure-notice') return 'notice';
  if (/refused|blocked|problem|unusable|undecryptable|full/.test(event.type)) return 'problem';
  return '';
}

function eventItem(event: CaseEvent, index: number): string {
  const auth = authenticationText(event.authentication);
  return [
    `<li class="${eventClass(event)}" id="entry-${index + 1}">`,
    `<span class="when">${e(formatUtc(event.at))}</span> `,
    `<span class="type">${e(event.type)}</span> `,
    `<span class="actor">${e(event.actor)}</span>`,
    `<p class="detail">${e(event.summary)}</p>`,
    ...(auth ? [`<p class="detail">Authenticated: ${e(auth)}</p>`] : []),
    ...(event.changes?.length
      ? [`<ul class="changes">${event.changes.map((c) => `<li>${e(c)}</li>`).join('')}</ul>`]
      : []),
    '</li>',
  ].join('');
}

/**
 * What is still ahead of the case, as time line entries: the notices until disclosure (or
 * closing), and the reminder to post exploits held back, which outlives both.
 */
function scheduleItems(record: CaseRecord, config: EmbargoConfig, now: Date): string[] {
  const item = (at: Date, what: string) =>
    `<li class="future"><span class="when">${e(formatUtc(at.toISOString()))}</span> <span class="type">${e(what)}</span>${at <= now ? ' <span class="detail">(due)</span>' : ''}</li>`;
  const reminderAt = ossReminderAt(record, config);
  const reminder =
    reminderAt && !record.history.some((ev) => ev.id.startsWith('oss-reminder:'))
      ? [item(reminderAt, `reminder to post the exploits held back to ${config.ossSecurity}`)]
      : [];
  const timeline = embargoTimeline(record, config);
  if (!timeline || record.disclosedAt || record.status === 'closed') return reminder;
  const sent = toldCurrentDate(record);
  return [
    ...(record.kind === 'upstream' || sent
      ? []
      : [
          item(
            timeline.advanceAt,
            `advance notice to distributors (${countOf(timeline.advanceDays, 'day')} before)`,
          ),
        ]),
    ...followUpItems(record, timeline, item),
    item(timeline.disclosureAt, 'public disclosure'),
    ...reminder,
  ];
}

/** When and why the case ended (`/close`, `/invalid`); notes are in the history. */
function endedText(record: CaseRecord): string {
  return `${formatUtc(record.resolvedAt!)}${record.resolutionReason ? `: ${record.resolutionReason}` : ''}`;
}

/** The maintainers' summary of the recipients a day before D, until it has gone. */
function followUpItems(
  record: CaseRecord,
  timeline: EmbargoTimeline,
  item: (at: Date, what: string) => string,
): string[] {
  if (record.kind === 'upstream') return [];
  if (hasEvent(record, `pre-disclosure-summary:${noticeRound(record)}`)) return [];
  return [
    item(
      new Date(timeline.disclosureAt.getTime() - SUMMARY_BEFORE_MS),
      'summary of the distributors (confirmed, affected, silent) to the maintainers',
    ),
  ];
}

/** One self-contained HTML page about a case, for a post-mortem or to print. */
export function caseHtmlPage(record: CaseRecord, config: EmbargoConfig, now = new Date()): string {
  const chain = verifyChain(record.history);
  const reporter = record.reporter.name
    ? `${record.reporter.name} <${record.reporter.address}>`
    : record.reporter.address;
  const credits = caseCredits(record);
  const facts: [string, string | undefined][] = [
    ['Status', record.resolution ? `${record.status} (${record.resolution})` : record.status],
    ['Subject', record.subject],
    ['Reporter', reporter],
    ['Received', formatUtc(record.receivedAt)],
    ['Title', record.title],
    ['Severity', record.severity],
    ['CVSS', record.cvss ? cvssText(record.cvss) : undefined],
    ['CWE', record.cwes?.length ? record.cwes.join(', ') : undefined],
    ['Affected', record.affected],
    ['Fixed in', record.fixed],
    ['CVE', record.cve],
    ['Credits', credits.length ? credits.map(creditText).join('; ') : undefined],
    [
      'Patches',
      record.patches?.length
        ? record.patches.map((p) => `${p.filename} (SHA-256 ${p.sha256})`).join('\n')
        : undefined,
    ],
    ['Disclosure', record.disclosureAt ? formatUtc(record.disclosureAt) : undefined],
    ['Disclosed', record.disclosedAt ? formatUtc(record.disclosedAt) : undefined],
    ['Duplicate of', record.duplicateOf],
    ['Ended', record.resolvedAt ? endedText(record) : undefined],
    ['Labels', record.labels?.length ? record.labels.join(', ') : undefined],
  ];
  const schedule = scheduleItems(record, config, now);
  // The advisory last among the facts, as written (escaped), since it is long.
  const advisory = record.advisory
    ? `<tr><th>Advisory</th><td><pre class="advisory">${e(record.advisory)}</pre></td></tr>`
    : '';
  const title = `${record.id}${record.title ? `: ${record.title}` : ''}`;
  return `${pageHead(title, STYLE)}
<p class="when">${e(config.project)} security case, as of ${e(formatUtc(now.toISOString()))}</p>
<table class="facts">
${facts
  .filter(([, v]) => v !== undefined)
  .map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v).replace(/\n/g, '<br>')}</td></tr>`)
  .join('\n')}
${advisory}
</table>
<h2>Records</h2>
<table class="records">
${recordPlaces(record, config)
  .map(({ name, where }) => `<tr><th>${e(name)}</th><td>${e(where)}</td></tr>`)
  .join('\n')}
</table>
${recipientsHtml(record)}
<h2>Audit chain</h2>
${
  chain.intact
    ? `<p class="chain intact">Hash chain intact: all ${record.history.length} entries verify.</p>`
    : `<p class="chain broken">HASH CHAIN BROKEN at entry ${chain.brokenAt + 1} (${e(chain.eventId)}): the stored history was changed after it was written. Entries from there on cannot be trusted.</p>`
}
<h2>Schedule ahead</h2>
${schedule.length ? `<ol class="timeline">\n${schedule.join('\n')}\n</ol>` : '<p>Nothing scheduled.</p>'}
<h2>Time line</h2>
<ol class="timeline">
${record.history.map(eventItem).join('\n')}
</ol>
</body>
</html>
`;
}
