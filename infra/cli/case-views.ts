import Table from 'cli-table3';
import type { CaseRecord } from '../../shared/domain/case-record';
import type { InboundRecord } from '../../shared/ports/inbound-ledger';
import { rejectionExplanations } from '../../shared/domain/mail-classification';
import { describeProtection } from '../../shared/domain/protection-summary';
import { terminalSafe } from './terminal-text';

const shortTime = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function ackState(record: CaseRecord, now: Date): string {
  if (record.acknowledgedAt) return `sent ${shortTime(record.acknowledgedAt)}`;
  return new Date(record.ackDueAt) < now
    ? `OVERDUE since ${shortTime(record.ackDueAt)}`
    : 'pending';
}

export function casesTable(records: CaseRecord[], now = new Date()): string {
  if (!records.length) return 'No cases yet. Send a report to the security address to open one.';
  const table = new Table({
    head: ['Case', 'Status', 'Reporter', 'Subject', 'Received', 'Ack', 'Answer due'],
  });
  for (const r of records) {
    table.push([
      r.id,
      r.status,
      terminalSafe(r.reporter.address),
      terminalSafe(truncate(r.subject, 40)),
      shortTime(r.receivedAt),
      ackState(r, now),
      shortTime(r.ackDueAt),
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
    '',
    'History',
  ];
  for (const event of record.history) {
    lines.push(
      `  ${shortTime(event.at)}  ${event.type.padEnd(13)} ${terminalSafe(event.actor)}: ${terminalSafe(event.summary)}`,
    );
    for (const line of event.protection ? describeProtection(event.protection) : []) {
      lines.push(`${' '.repeat(35)}${line}`);
    }
  }
  return lines.join('\n');
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
