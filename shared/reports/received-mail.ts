import type { InboundMail, MailDelivery } from '../mail/inbound-mail';
import type { ReportContent } from './report-content';

/**
 * What intake knows about one delivery once it has been read: the parsed mail, what it says, and
 * who it claims to be from. Intake, case opening and the thread handlers all work on it.
 */
export interface ReceivedMail {
  delivery: MailDelivery;
  mail: InboundMail;
  sender: string;
  receivedAt: string;
  content: ReportContent;
  /** Who the mail claims to be from, checked (intake/sender-check.ts). */
  senderCheck?: SenderCheck;
}

/**
 * What the sender check (intake/sender-check.ts) tells maintainers about who a mail is from,
 * and whether its keys may be recorded.
 */
export interface SenderCheck {
  /** One line each, shown in the maintainers' copy and recorded on the case. */
  warnings: SenderWarning[];
  /**
   * Keys offered in this mail are never recorded as the reporter's: the sender's address belongs
   * to a maintainer, a distributor or the project, or the From header was refused.
   */
  keysRefused: boolean;
}

export interface SenderWarning {
  kind: 'from-refused' | 'envelope-differs' | 'impersonation' | 'replayed-ciphertext';
  text: string;
}
