import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import { caseSubjectTag } from './case-id';
import type { CaseRecord, Protection } from './case-record';
import type { OutboundMessage } from './outbound-message';
import { describeProtection } from './protection-summary';
import { decryptionFailureExplanations, type ReportContent } from './report-content';

/** A maintainer with a key that can be encrypted to. */
export interface KeyedMaintainer extends Maintainer {
  publicKeyArmored: string;
}

export type ForwardKind = 'report' | 'follow-up';

function from(config: EmbargoConfig) {
  return { address: config.securityAddress, name: `${config.project} security team` };
}

function headerBlock(
  record: CaseRecord,
  sender: string,
  subject: string,
  receivedAt: string,
  protection: Protection,
): string[] {
  const [first, ...rest] = describeProtection(protection);
  return [
    `Case:         ${record.id} (status: ${record.status})`,
    `From:         ${sender}`,
    `Subject:      ${subject}`,
    `Received:     ${receivedAt}`,
    `Protection:   ${first}`,
    ...rest.map((line) => `              ${line}`),
    `Reporter key: ${record.reporterKey ? record.reporterKey.fingerprint : 'none known; mail to the reporter goes unencrypted'}`,
  ];
}

/**
 * A report or follow-up as a maintainer receives it: a short header block, then the decrypted
 * text and the original attachments. Always encrypted to that maintainer alone.
 */
export function buildMaintainerCopy(input: {
  config: EmbargoConfig;
  record: CaseRecord;
  maintainer: KeyedMaintainer;
  kind: ForwardKind;
  messageId: string;
  sender: string;
  subject: string;
  receivedAt: string;
  content: ReportContent;
}): OutboundMessage {
  const { record, maintainer, content } = input;
  const protection: Protection = {
    encryption: content.encryption,
    signatures: content.signatures,
    ...(content.failure ? { failure: content.failure } : {}),
  };
  const title = input.kind === 'report' ? 'New report' : 'Follow-up from the reporter';
  const body = content.failure
    ? [
        `This message could not be decrypted: ${decryptionFailureExplanations[content.failure]}.`,
        `The raw message is kept under message id ${input.messageId}.`,
        'The reporter was asked to send it again encrypted to the project key.',
      ]
    : [content.text];
  return {
    idempotencyKey: `${record.id}/${input.kind}/${input.messageId}/maintainer/${maintainer.email.toLowerCase()}`,
    from: from(input.config),
    to: { address: maintainer.email, name: maintainer.name },
    subject: `${caseSubjectTag(record.id)} ${title}`,
    text: [
      ...headerBlock(record, input.sender, input.subject, input.receivedAt, protection),
      '',
      '-'.repeat(72),
      '',
      ...body,
    ].join('\n'),
    attachments: content.failure ? [] : content.attachments,
    autoSubmitted: 'auto-generated',
    caseId: record.id,
    encryptTo: maintainer.publicKeyArmored,
  };
}

/** Tells a maintainer that a colleague could not be sent a case's mail because of their key. */
export function buildKeyProblemNotice(input: {
  config: EmbargoConfig;
  record: CaseRecord;
  recipient: KeyedMaintainer;
  unreachable: Maintainer;
  problem: string;
  messageId: string;
}): OutboundMessage {
  const { record, recipient, unreachable } = input;
  return {
    idempotencyKey: `${record.id}/key-problem/${input.messageId}/${unreachable.email.toLowerCase()}/to/${recipient.email.toLowerCase()}`,
    from: from(input.config),
    to: { address: recipient.email, name: recipient.name },
    subject: `${caseSubjectTag(record.id)} ${unreachable.name} did not receive this case's mail`,
    text: [
      `Embargo could not send case ${record.id} to ${unreachable.name} <${unreachable.email}>:`,
      `their public key cannot be used (${input.problem}).`,
      '',
      'Nothing was sent to them unencrypted. Update the key in embargo.config.json',
      'and redeploy (or restart local mode) so that they receive future mail.',
    ].join('\n'),
    autoSubmitted: 'auto-generated',
    caseId: record.id,
    encryptTo: recipient.publicKeyArmored,
  };
}
