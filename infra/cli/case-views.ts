import Table from 'cli-table3';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { InboundRecord } from '../../shared/intake/inbound-ledger';
import { rejectionExplanations } from '../../shared/intake/mail-classification';
import { describeProtection } from '../../shared/reports/protection-summary';
import { quarantineExplanations } from '../../shared/intake/quarantine';
import { verifyChain } from '../../shared/cases/case-history';
import { hasMaintainerAnswer } from '../../shared/acknowledgment/ack-watch';
import type { Authentication } from '../../shared/cases/case-record';
import { terminalSafe } from './terminal-text';
import { caseCredits, creditText } from '../../shared/advisories/advisory-credits';
import { cvssText } from '../../shared/advisories/cvss-vector';

const shortTime = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

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

export function casesTable(records: CaseRecord[], now = new Date()): string {
  if (!records.length) return 'No cases yet. Send a report to the security address to open one.';
  const table = new Table({
    head: ['Case', 'Status', 'Reporter', 'Subject', 'Received', 'Ack', 'Answer', 'Disclosure'],
  });
  for (const r of records) {
    table.push([
      r.id,
      r.status,
      terminalSafe(r.reporter.address),
      terminalSafe(truncate(r.subject, 40)),
      shortTime(r.receivedAt),
      r.kind === 'upstream' ? 'upstream' : ackState(r, now),
      answerState(r, now),
      r.disclosureAt ? shortTime(r.disclosureAt) + (r.disclosedAt ? ' (done)' : '') : '-',
    ]);
  }
  return table.toString();
}

export function caseDetails(record: CaseRecord, now = new Date()): string {
  const reporter = record.reporter.name
    ? `${terminalSafe(record.reporter.name)} <${terminalSafe(record.reporter.address)}>`
    : terminalSafe(record.reporter.address);
  const lines = [
    `Case        ${record.id}`,
    `Status      ${record.status}`,
    `Subject     ${terminalSafe(record.subject)}`,
    `Reporter    ${reporter}`,
    `Received    ${shortTime(record.receivedAt)}`,
    `Answer due  ${shortTime(record.ackDueAt)} (${record.acknowledgedAt ? 'acknowledged' : 'not acknowledged yet'}; ack ${ackState(record, now)})`,
    `Raw report  message id ${record.reportMessageId}`,
    ...describeProtection(record.protection).map(
      (line, i) => `${i ? '           ' : 'Protection '} ${line}`,
    ),
    `Reporter key ${record.reporterKey ? record.reporterKey.fingerprint : 'none known (mail to the reporter is not encrypted)'}`,
    ...detailLines(record),
    '',
    historyHeading(record),
  ];
  for (const event of record.history) {
    lines.push(
      `  ${shortTime(event.at)}  ${event.type.padEnd(13)} ${terminalSafe(event.actor)}: ${terminalSafe(event.summary)}`,
    );
    const indent = ' '.repeat(21);
    if (event.authentication && event.authentication.method !== 'none') {
      lines.push(`${indent}authenticated: ${describeAuthentication(event.authentication)}`);
    }
    for (const change of event.changes ?? []) lines.push(`${indent}${terminalSafe(change)}`);
    for (const line of event.protection ? describeProtection(event.protection) : []) {
      lines.push(`${indent}${line}`);
    }
  }
  return lines.join('\n');
}

function describeAuthentication(auth: Authentication): string {
  switch (auth.method) {
    case 'pgp-signature':
      return `pgp-signature ${auth.fingerprint}`;
    case 'dkim-dmarc':
      return 'SES DKIM and DMARC pass';
    case 'reply-token':
      return 'reply token (unsigned)';
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
        ? record.resolution + (record.duplicateOf ? ` of ${record.duplicateOf}` : '')
        : undefined,
    ],
    ['Advisory', record.advisory ? `${record.advisory.length} characters` : undefined],
    [
      'Patches',
      record.patches?.map((p) => `${p.filename} (sha256 ${p.sha256.slice(0, 12)}…)`).join(', '),
    ],
  ];
  return rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k.padEnd(11)} ${terminalSafe(v ?? '')}`);
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
  }
}

export function inboundTable(records: InboundRecord[]): string {
  if (!records.length) return 'No mail received yet.';
  const table = new Table({ head: ['Received', 'Message id', 'Sender', 'Outcome'] });
  for (const r of records) {
    table.push([shortTime(r.receivedAt), r.messageId, terminalSafe(r.sender), outcomeText(r)]);
  }
  return table.toString();
}
