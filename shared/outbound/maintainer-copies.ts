import type { Maintainer } from '../config/embargo-config';
import type { CaseMail } from './outbound-message';
import { caseSubjectTag } from '../cases/case-id';
import type { CaseRecord, Protection } from '../cases/case-record';
import { keptAttachmentLines, type KeptAttachment } from './oversized-attachments';
import { describeProtection } from '../cases/protection-summary';
import { singleLine } from '../mail/single-line';
import { checkFromHeader } from '../addresses/from-header';
import { sameMailbox } from '../addresses/mailbox';
import { hasUnsignedText } from '../reports/text-segments';
import {
  decryptionFailureExplanations,
  type ReportAttachment,
  type ReportContent,
} from '../reports/report-content';

/** A maintainer with a key that can be encrypted to. */
export interface KeyedMaintainer extends Maintainer {
  publicKeyArmored: string;
}

export type ForwardKind = 'report' | 'follow-up' | 'maintainer-reply' | 'third-party';

const TITLES: Record<ForwardKind, string> = {
  report: 'New report',
  'follow-up': 'Follow-up from the reporter',
  'maintainer-reply': 'Reply from a maintainer',
  'third-party': 'Mail from someone who is not a party of this case',
};

/** Marks that reorder text (bidi overrides and isolates), which could disguise a subject. */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The case's title (`/title`, else the report's subject) for the subject of maintainers' copies,
 * so that a list of cases can be scanned. Copies are always encrypted, and this goes into the
 * protected Subject only: the clear one keeps its fixed words (outerSubject). One line, short,
 * without control or reordering characters.
 */
function titleSuffix(record: CaseRecord): string {
  const title = singleLine((record.title ?? record.subject ?? '').replace(BIDI_CONTROLS, ''), 100);
  return title && !/^\.*$/.test(title) ? `: ${title}` : '';
}

export function protectionOf(content: ReportContent): Protection {
  return {
    encryption: content.encryption,
    signatures: content.signatures,
    ...(content.failure ? { failure: content.failure } : {}),
  };
}

/**
 * The text as maintainers read it. Where a signature covers part of it, text beside the signed
 * part is set apart and called unsigned: it carries no one's authority.
 */
function shownText(content: ReportContent): string {
  const signed = content.segments.some((s) => s.signatures.length > 0);
  if (!signed || !hasUnsignedText(content.segments)) return content.text;
  return content.segments
    .map((s) =>
      s.signatures.length || !s.text.trim()
        ? s.text
        : `\n[NOT SIGNED: the text from here to the end mark is outside every signature]\n${s.text}\n[end of unsigned text]\n`,
    )
    .join('');
}

/**
 * A report or other case mail as a maintainer receives it: a short header block, then the
 * decrypted text and the original attachments (those too large for mail are listed as kept
 * with the case instead). The mailer encrypts it to that maintainer alone.
 */
export function buildMaintainerCopy(input: {
  record: CaseRecord;
  kind: ForwardKind;
  messageId: string;
  messageIdHeader?: string;
  sender: string;
  /** The sender's display name from the From line, if it has one and names `sender`. */
  senderName?: string;
  subject: string;
  receivedAt: string;
  content: ReportContent;
  /** How `content`'s attachments were split between the mail and the case files; all mailed if absent. */
  attachments?: { inline: ReportAttachment[]; kept: KeptAttachment[] };
  note?: string;
  /** What the sender check found (a refused From, a differing envelope sender, impersonation). */
  warnings?: string[];
}): CaseMail {
  const { record, content } = input;
  const [first, ...rest] = describeProtection(protectionOf(content));
  const name = input.senderName ? singleLine(input.senderName, 100).replace(/[<>"]/g, '') : '';
  const innerFrom = content.protectedHeaders?.from;
  // The addresses are compared, not the texts: a display name can name the outer address.
  const inner = innerFrom !== undefined ? checkFromHeader(innerFrom) : undefined;
  const innerDiffers =
    inner !== undefined && !(inner.ok && sameMailbox(inner.address, input.sender));
  const header = [
    `Case:         ${record.id} (status: ${record.status})`,
    `From:         ${name ? `${name} <${input.sender}>` : input.sender}`,
    ...(innerFrom && innerDiffers
      ? [`Inner From:   ${singleLine(innerFrom, 200)} (inside the encryption; differs)`]
      : []),
    ...(input.warnings ?? []).map((w) => `WARNING:      ${w}`),
    `Subject:      ${singleLine(input.subject, 300)}`,
    `Received:     ${input.receivedAt}`,
    `Protection:   ${first}`,
    ...rest.map((line) => `              ${line}`),
    `Reporter:     ${record.reporter.address}`,
    `Reporter key: ${record.reporterKey ? record.reporterKey.fingerprint : 'none known; mail to the reporter goes unencrypted'}`,
    ...(input.note ? ['', input.note] : []),
    ...(input.attachments?.kept.length && !content.failure
      ? ['', ...keptAttachmentLines(record.id, input.attachments.kept)]
      : []),
  ];
  const body = content.failure
    ? [
        `This message could not be decrypted: ${decryptionFailureExplanations[content.failure]}.`,
        `The raw message is kept under message id ${input.messageId}.`,
        ...(input.kind === 'report' || input.kind === 'follow-up'
          ? [
              content.failure === 'smime-encrypted'
                ? 'The reporter was asked to send it again, encrypted with OpenPGP to the project key or unencrypted.'
                : 'The reporter was asked to send it again encrypted to the project key.',
            ]
          : []),
      ]
    : [shownText(content)];
  const attachments = content.failure ? [] : (input.attachments?.inline ?? content.attachments);
  return {
    key: `${input.kind}/${input.messageId}`,
    subject: `${caseSubjectTag(record.id)} ${TITLES[input.kind]}${titleSuffix(record)}`,
    text: [...header, '', '-'.repeat(72), '', ...body].join('\n'),
    // A sender's file name is one line too: no bidi controls reordering `gpj.exe`.
    attachments: attachments.map((a) => ({ ...a, filename: singleLine(a.filename, 200) })),
    ...(input.messageIdHeader ? { inReplyTo: input.messageIdHeader } : {}),
  };
}

/** Tells a maintainer that a colleague could not be sent a case's mail because of their key. */
export function buildKeyProblemNotice(
  record: CaseRecord,
  unreachable: Maintainer,
  problem: string,
): { subject: string; text: string } {
  return {
    subject: `${caseSubjectTag(record.id)} ${unreachable.name} did not receive this case's mail`,
    text: [
      `Embargo could not send case ${record.id} to ${unreachable.name} <${unreachable.email}>:`,
      `their public key cannot be used (${problem}).`,
      '',
      'Nothing was sent to them unencrypted. Update the key in embargo.config.json',
      'and redeploy (or restart local mode) so that they receive future mail.',
    ].join('\n'),
  };
}
