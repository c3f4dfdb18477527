import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import { recordPlaces } from './record-places';
import type { FloodOutcome } from '../../../shared/intake/admission/flood-intake';
import type { CaseRecord, Authentication } from '../../../shared/cases/case-record';
import type { InboundRecord } from '../../../shared/intake/inbound-ledger';
import { rejectionExplanations } from '../../../shared/intake/mail-classification';
import { describeProtection } from '../../../shared/cases/protection-summary';
import { quarantineExplanations } from '../../../shared/intake/quarantine';
import { verifyChain } from '../../../shared/cases/case-history';
import { hasMaintainerAnswer } from '../../../shared/acknowledgment/ack-watch';
import { terminalSafe } from './terminal-text';
import { recipientLines, recipientsCell } from './recipient-views';
import { fittedTable, withHiddenNote, type Column } from './fitted-table';
import { wrapParagraph } from '../../../shared/mail/wrapped-text';
import { groupFingerprint } from '../../../shared/pgp/fingerprint-text';
import { terminalStyle, type TerminalStyle } from './terminal-style';

import { caseCredits, creditText } from '../../../shared/advisories/advisory-credits';
import { cvssText } from '../../../shared/advisories/cvss-score';

/** How a table is shown: `wide` for every column in full; the style of the terminal. */
export interface TableOptions {
  wide?: boolean;
  style?: TerminalStyle;
}

const shortTime = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;

function answerState(record: CaseRecord, now: Date): string {
  if (hasMaintainerAnswer(record)) return 'answered';
  if (record.status === 'closed' || record.kind === 'upstream') return '-';
  const due = shortTime(record.ackDueAt);
  return new Date(record.ackDueAt) < now ? `OVERDUE (${due})` : `by ${due}`;
}

function ackState(record: CaseRecord, now: Date): string {
  if (record.acknowledgedAt) return `sent ${shortTime(record.acknowledgedAt)}`;
  if (record.ackHeld) return 'HELD: send with /ack';
  return new Date(record.ackDueAt) < now
    ? `OVERDUE since ${shortTime(record.ackDueAt)}`
    : 'pending';
}

const caseColumns: Column[] = [
  { head: 'Case', priority: 1 },
  { head: 'Status', priority: 2 },
  { head: 'Reporter', priority: 5, minWidth: 12 },
  { head: 'Subject', priority: 3, minWidth: 12 },
  { head: 'Received', priority: 8 },
  { head: 'Ack', priority: 6 },
  { head: 'Answer', priority: 4 },
  { head: 'Disclosure', priority: 7 },
  // Before the reporter: in 80 columns, who confirmed matters more once notices are out.
  { head: 'Confirmed', priority: 4.5 },
];

export function casesTable(
  records: CaseRecord[],
  now = new Date(),
  options: TableOptions = {},
): string {
  if (!records.length) return 'No cases yet. Send a report to the security address to open one.';
  const rows = records.map((r) => [
    r.id,
    r.status,
    terminalSafe(r.reporter.address),
    terminalSafe(r.subject),
    shortTime(r.receivedAt),
    r.kind === 'upstream' ? 'upstream' : ackState(r, now),
    answerState(r, now),
    r.disclosureAt ? shortTime(r.disclosureAt) + (r.disclosedAt ? ' (done)' : '') : '-',
    recipientsCell(r),
  ]);
  // The recipients' column only once some case has told distributors: it costs the reporter's.
  if (!records.some((r) => r.recipients?.length))
    return withHiddenNote(fittedTable(caseColumns.slice(0, -1), rows, options));
  return withHiddenNote(fittedTable(caseColumns, rows, options));
}

/** Each record of the case and where it went: published on D (a URL, a commit, a mail), a draft before. */
export function recordLines(record: CaseRecord, config?: EmbargoConfig): string[] {
  const draft = !record.disclosedAt;
  return [
    `Records     ${draft ? 'drafts until disclosure (not published)' : `mailed to the maintainers on ${shortTime(record.disclosedAt!)}`}`,
    // Wrapped without fitted(): a commit id in a URL is not a fingerprint to group.
    ...recordPlaces(record, config).flatMap(({ name, where }) =>
      wrapParagraph(
        `${name.padEnd(8)}${terminalSafe(where)}`,
        ' '.repeat(8),
        terminalStyle().width - 12,
      ).map((l) => `            ${l}`),
    ),
  ];
}

/**
 * A line of the case view within the terminal's width, continued under `hanging` columns of
 * indent; fingerprints in groups of four, so that a break falls between groups, never inside.
 */
function fitted(line: string, hanging: number): string[] {
  const grouped = line.replace(/\b[0-9A-Fa-f]{40}\b/g, (fp) => groupFingerprint(fp));
  const indent = grouped.match(/^ */)![0];
  return wrapParagraph(
    grouped.trimStart(),
    ' '.repeat(hanging - indent.length),
    terminalStyle().width - indent.length,
  ).map((l) => indent + l);
}

export function caseDetails(record: CaseRecord, now = new Date(), config?: EmbargoConfig): string {
  const reporter = record.reporter.name
    ? `${terminalSafe(record.reporter.name)} <${terminalSafe(record.reporter.address)}>`
    : terminalSafe(record.reporter.address);
  const lines = [
    `Case        ${record.id}`,
    `Status      ${record.status}`,
    `Subject     ${terminalSafe(record.subject)}`,
    `Reporter    ${reporter}`,
    ...(record.reporterAddressProblem
      ? [
          `            not a mailbox, never written to: ${terminalSafe(record.reporterAddressProblem)}`,
        ]
      : []),
    `Received    ${shortTime(record.receivedAt)}`,
    `Answer due  ${shortTime(record.ackDueAt)} (${record.acknowledgedAt ? 'acknowledged' : 'not acknowledged yet'}; ack ${ackState(record, now)})`,
    `Raw report  message id ${record.reportMessageId}`,
    ...describeProtection(record.protection).flatMap((line, i) =>
      fitted(`${i ? '           ' : 'Protection '} ${line}`, 12),
    ),
    ...fitted(
      `Reporter key ${record.reporterKey ? record.reporterKey.fingerprint : 'none known (mail to the reporter is not encrypted)'}`,
      13,
    ),
    ...detailLines(record),
    // Found when the case opened (docs/triage.md); reasons hold words of both reports.
    ...(record.possibleDuplicates ?? []).flatMap((d, i) =>
      fitted(
        `${i ? '           ' : 'Duplicate? '} ${d.caseId}${record.notDuplicateOf?.includes(d.caseId) ? ' (ruled out)' : ''}: ${terminalSafe(d.reasons.join('; '))}`,
        12,
      ),
    ),
    ...recipientLines(record),
    ...recordLines(record, config),
    '',
    historyHeading(record),
  ];
  // Every type column as wide as the longest type here, so the actors line up.
  const typeWidth = Math.max(13, ...record.history.map((e) => e.type.length));
  for (const event of record.history) {
    lines.push(
      `  ${shortTime(event.at)}  ${event.type.padEnd(typeWidth)} ${terminalSafe(event.actor)}: ${terminalSafe(event.summary)}`,
    );
    const indent = ' '.repeat(21);
    if (event.simulatedAt) {
      lines.push(`${indent}as of ${shortTime(event.simulatedAt)} (run with \`tick --now\`)`);
    }
    if (event.authentication && event.authentication.method !== 'none') {
      lines.push(
        ...fitted(`${indent}authenticated: ${describeAuthentication(event.authentication)}`, 23),
      );
    }
    for (const change of event.changes ?? []) lines.push(`${indent}${terminalSafe(change)}`);
    for (const line of event.protection ? describeProtection(event.protection) : []) {
      lines.push(...fitted(`${indent}${line}`, 23));
    }
  }
  return lines.join('\n');
}

/** How an event's sender was authenticated, in words (case view and case page alike). */
export function describeAuthentication(auth: Authentication): string {
  switch (auth.method) {
    case 'pgp-signature':
      return `pgp-signature ${auth.fingerprint}`;
    case 'dkim-dmarc':
      return 'SES DKIM and DMARC pass';
    case 'reply-token':
      return 'reply token (unsigned)';
    case 'thread-reference':
      return 'reply to mail sent to this address (unsigned)';
    case 'cli':
      return `admin CLI, ${auth.caller}`;
    default:
      return auth.method;
  }
}

function historyHeading(record: CaseRecord): string {
  const chain = verifyChain(record.history);
  return chain.intact
    ? `History (${record.history.length} entries, hash chain intact)`
    : `History: HASH CHAIN BROKEN at entry ${chain.brokenAt + 1} (${chain.eventId}): the stored history was changed`;
}

function detailLines(record: CaseRecord): string[] {
  const rows: [string, string | undefined][] = [
    ['Title', record.title],
    ['Severity', record.severity],
    ['Affected', record.affected],
    ['Fixed in', record.fixed],
    ['CVE', record.cve],
    ['CVSS', record.cvss ? cvssText(record.cvss) : undefined],
    ['CWE', record.cwes?.join(', ')],
    ['Credit', caseCredits(record).map(creditText).join('; ') || undefined],
    [
      'Disclosure',
      record.disclosureAt
        ? shortTime(record.disclosureAt) + (record.urgent ? ' (urgent)' : '')
        : undefined,
    ],
    [
      'Resolution',
      record.resolution
        ? record.resolution +
          (record.duplicateOf ? ` of ${record.duplicateOf}` : '') +
          (record.resolutionReason ? `: ${record.resolutionReason}` : '') +
          (record.resolvedAt ? ` (${shortTime(record.resolvedAt)})` : '')
        : undefined,
    ],
    ['Labels', record.labels?.length ? record.labels.join(', ') : undefined],
    ['Advisory', record.advisory ? `${record.advisory.length} characters` : undefined],
    // Each with its file key, for `npx embargo file <case> <key>`.
    [
      'Patches',
      record.patches
        ?.map((p) => `${p.filename} (sha256 ${p.sha256.slice(0, 12)}…)\nfile key: ${p.key}`)
        .join('\n'),
    ],
  ];
  return rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) =>
      (v ?? '')
        .split('\n')
        .map((line, i) => `${(i ? '' : k).padEnd(11)} ${terminalSafe(line)}`)
        .join('\n'),
    );
}

function floodOutcomeText(outcome: FloodOutcome): string {
  const whose = outcome.scope === 'address' ? 'sender' : "sender's domain";
  const what = outcome.category === 'report' ? 'reports' : 'follow-ups';
  return `flood: kept unread, the ${whose} is over its daily limit of ${what} (npx embargo raw)`;
}

function outcomeText(record: InboundRecord): string {
  const outcome = record.outcome;
  if (!outcome) return 'in progress';
  switch (outcome.kind) {
    case 'case':
      return `opened ${outcome.caseId}`;
    case 'follow-up':
      return `follow-up on ${outcome.caseId}`;
    case 'duplicate':
      return `duplicate of ${outcome.duplicateOf}`;
    case 'rejected':
      return `rejected: ${rejectionExplanations[outcome.reason]}`;
    case 'quarantined':
      return `QUARANTINED: ${quarantineExplanations[outcome.reason]}`;
    case 'flood':
      return floodOutcomeText(outcome);
  }
}

const inboundColumns: Column[] = [
  { head: 'Received', priority: 3 },
  { head: 'Message id', priority: 4, minWidth: 12 },
  { head: 'Sender', priority: 2, minWidth: 12 },
  { head: 'Outcome', priority: 1, minWidth: 20 },
];

export function inboundTable(records: InboundRecord[], options: TableOptions = {}): string {
  if (!records.length) return 'No mail received yet.';
  const rows = records.map((r) => [
    shortTime(r.receivedAt),
    r.messageId,
    terminalSafe(r.sender),
    outcomeText(r),
  ]);
  return withHiddenNote(fittedTable(inboundColumns, rows, options));
}
