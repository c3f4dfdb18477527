import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import type { CaseFiles } from '../cases/case-files';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { Authentication, CaseRecord } from '../cases/case-record';
import { appendOnce } from '../cases/case-updates';
import { buildMaintainerCopy, protectionOf } from '../outbound/maintainer-copies';
import { attachmentsForMail, keptAttachmentsSummary } from '../outbound/oversized-attachments';
import { unseparatedQuote } from './own-text';
import type { ReportContent } from '../reports/report-content';

/** What the relay reads of a received mail (intake's ReceivedMail has it). */
interface ReceivedMail {
  delivery: { messageId: string };
  receivedAt: string;
  mail: { subject: string };
  content: ReportContent;
  senderCheck?: { warnings: { text: string }[] };
}

export const UNSIGNED_BESIDE_NOTE =
  'Text in this mail outside what the signature covers was ignored: not read as commands or advisory text, and not relayed.';

/**
 * What becomes of a maintainer's own text: relayed to the reporter from the security address,
 * kept from them (`/internal`), or not relayed because it cannot be told apart from what it
 * quotes; a copy to the other maintainers either way, and one history entry saying which.
 */
export class ReplyRelay {
  constructor(
    private readonly deps: {
      config: EmbargoConfig;
      cases: CaseRepository;
      mailer: CaseMailer;
      files: CaseFiles;
      clock: Clock;
    },
  ) {}

  /**
   * The maintainer's own text to the reporter (unless `/internal`, or unless it cannot be told
   * apart from what it quotes), a copy to the other maintainers, and one history entry saying
   * which it was.
   */
  async relay(
    record: CaseRecord,
    received: ReceivedMail,
    maintainer: Maintainer,
    text: string,
    how: { internal: boolean; authentication: Authentication; unsignedBeside: boolean },
  ): Promise<void> {
    if (!text) return;
    const messageId = received.delivery.messageId;
    const others = this.deps.config.maintainers
      .map((m) => m.email)
      .filter((email) => email.toLowerCase() !== maintainer.email.toLowerCase());
    const unseparated = how.internal ? undefined : unseparatedQuote(text, others);
    const relayed = !how.internal && !unseparated;
    if (relayed) {
      await this.deps.mailer.toReporter(record, {
        key: `relay/${messageId}`,
        // Says what it is: the maintainer's own subject is usually that of their copy
        // ("New report"), which means nothing to the reporter.
        subject: caseSubject(record, `Reply from the ${this.deps.config.project} security team`),
        text,
      });
    }
    await this.record(
      record,
      received,
      maintainer,
      how.authentication,
      relayed
        ? `Reply from a maintainer, relayed to the reporter: ${text.length} characters of the maintainer's own text (quoted text left out)`
        : how.internal
          ? 'Reply from a maintainer, kept from the reporter (/internal)'
          : `Reply from a maintainer, not relayed: ${unseparated}`,
    );
    if (unseparated) await this.explainUnseparated(record, maintainer, messageId, unseparated);
    const attachments = await attachmentsForMail(
      this.deps.files,
      record.id,
      received.content.attachments,
    );
    await this.deps.mailer.toMaintainers(
      record,
      () =>
        buildMaintainerCopy({
          record,
          kind: 'maintainer-reply',
          attachments,
          messageId,
          sender: maintainer.email,
          subject: received.mail.subject,
          receivedAt: received.receivedAt,
          // What the maintainer wrote, as relayed: not the quote, not unsigned text beside it.
          content: { ...received.content, text, segments: [{ text, signatures: [] }] },
          ...(received.senderCheck?.warnings.length
            ? { warnings: received.senderCheck.warnings.map((w) => w.text) }
            : {}),
          note: [
            relayed
              ? 'Relayed to the reporter from the security address (quoted text left out).'
              : how.internal
                ? 'Internal: not relayed to the reporter.'
                : `Not relayed to the reporter: ${unseparated}.`,
            ...(how.unsignedBeside ? [UNSIGNED_BESIDE_NOTE] : []),
          ].join('\n'),
        }),
      `maintainer-reply/${messageId}`,
      { except: maintainer.email },
    );
    if (attachments.kept.length) {
      // The copies name the kept files; the history does too, for whoever reads the case later.
      await this.deps.cases.update(
        record,
        appendOnce({
          id: `kept-attachments:${messageId}`,
          at: this.deps.clock.now().toISOString(),
          type: 'forwarded',
          actor: maintainer.email,
          summary: `Reply from ${maintainer.name}: ${keptAttachmentsSummary(attachments.kept)}`,
          messageId,
        }),
      );
    }
  }

  private async explainUnseparated(
    record: CaseRecord,
    maintainer: Maintainer,
    messageId: string,
    reason: string,
  ): Promise<void> {
    await this.toMaintainer(record, maintainer, {
      key: `not-relayed/${messageId}`,
      subject: caseSubject(record, 'Your reply was not relayed'),
      text: [
        `Your mail was kept but not relayed to the reporter: ${reason}.`,
        'Embargo relays only what you wrote yourself, never what you quote. Send your answer',
        'again with the quoted mail removed, or quoted with ">" marks.',
      ].join('\n'),
    });
  }

  /** The one history entry of a maintainer's reply: relayed, kept, or not relayed and why. */
  async record(
    record: CaseRecord,
    received: ReceivedMail,
    maintainer: Maintainer,
    authentication: Authentication,
    summary = 'Reply from a maintainer, not relayed (unsigned, and not an answer to mail sent to them)',
  ): Promise<void> {
    await this.deps.cases.update(
      record.id,
      appendOnce({
        id: `maintainer-reply:${received.delivery.messageId}`,
        at: received.receivedAt,
        type: 'maintainer-reply',
        actor: maintainer.email,
        summary,
        messageId: received.delivery.messageId,
        protection: protectionOf(received.content),
        authentication,
      }),
    );
  }

  private async toMaintainer(
    record: CaseRecord,
    maintainer: Maintainer,
    mail: Parameters<CaseMailer['toReporter']>[1],
  ) {
    await this.deps.mailer.toMaintainers(record, () => mail, mail.key, { only: maintainer.email });
  }
}
