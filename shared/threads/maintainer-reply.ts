import { createHash } from 'node:crypto';
import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import type { CaseFiles } from '../cases/case-files';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { Logger } from '../logging/logger';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { ReplayGuard } from '../commands/replay-guard';
import type { CommandApplication } from '../commands/command-application';
import { parseCommands, commandHelp, type ParsedCommands } from '../commands/case-commands';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { Authentication, CaseRecord, PatchFile } from '../cases/case-record';
import { appendOnce } from '../cases/case-updates';
import { authenticateCommands } from '../commands/command-authentication';
import type { InboundMail, MailDelivery } from '../mail/inbound-mail';
import { buildMaintainerCopy, protectionOf } from '../outbound/maintainer-copies';
import { attachmentsForMail, keptAttachmentsSummary } from '../outbound/oversized-attachments';
import type { ReportAttachment, ReportContent } from '../reports/report-content';
import { newReplyText } from './reply-text';
import type { SenderCheck } from '../addresses/sender-check';
import type { ThreadMatch } from './thread-router';

/** What intake knows about one delivery once it has been read. */
export interface ReceivedMail {
  delivery: MailDelivery;
  mail: InboundMail;
  sender: string;
  receivedAt: string;
  content: ReportContent;
  /** Who the mail claims to be from, checked (addresses/sender-check.ts). */
  senderCheck?: SenderCheck;
}

export interface MaintainerReplyDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  mailer: CaseMailer;
  crypto: MailCrypto;
  replays: ReplayGuard;
  files: CaseFiles;
  clock: Clock;
  log: Logger;
  /** Applies authenticated command blocks (shared with the admin CLI). */
  commands: CommandApplication;
}

function describeMethod(authentication: Authentication): string {
  return authentication.method === 'pgp-signature'
    ? `signed mail, key ${authentication.fingerprint}`
    : authentication.method === 'dkim-dmarc'
      ? 'mail with DKIM and DMARC pass'
      : authentication.method;
}

const PATCH_FILE = /\.(patch|diff)$/i;

function patchAttachments(attachments: ReportAttachment[]): ReportAttachment[] {
  return attachments.filter(
    (a) => PATCH_FILE.test(a.filename) || /x-(patch|diff)/i.test(a.contentType),
  );
}

/**
 * A maintainer's mail on a case thread: commands (authenticated, all or nothing, confirmed or
 * refused with reasons), then the text relayed to the reporter from the security address
 * unless `/internal`, and a copy to the other maintainers.
 */
export class MaintainerReplyService {
  constructor(private readonly deps: MaintainerReplyDependencies) {}

  async handle(
    match: ThreadMatch & { maintainer: Maintainer },
    received: ReceivedMail,
  ): Promise<void> {
    const { record, maintainer } = match;
    const messageId = received.delivery.messageId;
    const now = this.deps.clock.now();
    const auth = await authenticateCommands({
      config: this.deps.config,
      crypto: this.deps.crypto,
      maintainer,
      content: received.content,
      delivery: received.delivery,
      now,
    });
    const commandText = auth.ok ? auth.signedText : received.content.text;
    const parsed = parseCommands(commandText, now);
    const hasCommands = parsed.ok ? parsed.commands.length > 0 : true;

    if (!hasCommands) {
      // Unsigned text is relayed only when it answers what Embargo sent this maintainer: their
      // own reply token, or a Message-ID sent to their address. Anything else is a From line.
      const unsigned: Authentication | undefined =
        match.via === 'reply-token'
          ? { method: 'reply-token' }
          : match.via === 'references'
            ? { method: 'thread-reference' }
            : undefined;
      const relayable = auth.ok || unsigned !== undefined;
      await this.recordReply(
        record,
        received,
        maintainer,
        auth.ok ? auth.authentication : (unsigned ?? { method: 'none' }),
        relayable,
      );
      if (relayable)
        await this.relay(record, received, maintainer, newReplyText(received.content.text), false);
      else await this.explainNotRelayed(record, maintainer, messageId);
      return;
    }

    if (!auth.ok) {
      await this.refuse(record, received, maintainer, auth.reason);
      return;
    }
    if (auth.signature?.signatureId) {
      const owner = await this.deps.replays.claimSignature(auth.signature.signatureId, messageId);
      if (owner !== messageId) {
        await this.refuse(
          record,
          received,
          maintainer,
          `this signed mail was already used (message ${owner}): a replay`,
        );
        return;
      }
    }
    if (!parsed.ok) {
      await this.rejectInvalid(record, received, maintainer, parsed);
      return;
    }
    await this.apply(record, received, maintainer, parsed, auth.authentication);
  }

  private async recordReply(
    record: CaseRecord,
    received: ReceivedMail,
    maintainer: Maintainer,
    authentication: Authentication,
    relayed: boolean,
  ): Promise<void> {
    await this.deps.cases.update(
      record.id,
      appendOnce({
        id: `maintainer-reply:${received.delivery.messageId}`,
        at: received.receivedAt,
        type: 'maintainer-reply',
        actor: maintainer.email,
        summary: relayed
          ? 'Reply from a maintainer'
          : 'Reply from a maintainer, not relayed (unsigned, and not an answer to mail sent to them)',
        messageId: received.delivery.messageId,
        protection: protectionOf(received.content),
        authentication,
      }),
    );
  }

  private async refuse(
    record: CaseRecord,
    received: ReceivedMail,
    maintainer: Maintainer,
    reason: string,
  ): Promise<void> {
    const messageId = received.delivery.messageId;
    await this.recordRefusal(
      record,
      received,
      received.sender,
      `Commands refused: ${reason}. Nothing was changed or relayed.`,
    );
    this.deps.log.warn('commands.refused', {
      caseId: record.id,
      messageId,
      sender: received.sender,
      reason,
    });
    // The reason goes to the maintainer's own address, encrypted to their key, whoever sent it.
    await this.toMaintainer(record, maintainer, {
      key: `commands-refused/${messageId}`,
      subject: caseSubject(record, 'Commands not accepted'),
      text: [
        `Commands in a mail from ${maintainer.email} were not accepted and nothing was changed:`,
        `${reason}.`,
        '',
        'Commands must be signed with your registered OpenPGP key (PGP/MIME, or an encrypted',
        'and signed mail, or the commands inside a clearsigned block), and each signed mail',
        'is accepted once.',
      ].join('\n'),
      ...(received.mail.messageIdHeader ? { inReplyTo: received.mail.messageIdHeader } : {}),
    });
  }

  /** One refusal per mail on the case history, with how the mail was protected. */
  private async recordRefusal(
    record: CaseRecord,
    received: ReceivedMail,
    actor: string,
    summary: string,
  ) {
    const messageId = received.delivery.messageId;
    await this.deps.cases.update(
      record.id,
      appendOnce({
        id: `commands-refused:${messageId}`,
        at: received.receivedAt,
        type: 'commands-refused',
        actor,
        summary,
        messageId,
        protection: protectionOf(received.content),
        authentication: { method: 'none' },
      }),
    );
  }

  private async rejectInvalid(
    record: CaseRecord,
    received: ReceivedMail,
    maintainer: Maintainer,
    parsed: Extract<ParsedCommands, { ok: false }>,
  ): Promise<void> {
    const messageId = received.delivery.messageId;
    const lines = parsed.errors.map((e) => `line ${e.line}: "${e.text}": ${e.reason}`);
    await this.recordRefusal(
      record,
      received,
      maintainer.email,
      `Commands not applied (nothing changed): ${lines.join('; ')}`,
    );
    await this.toMaintainer(record, maintainer, {
      key: `commands-error/${messageId}`,
      subject: caseSubject(record, 'Commands not applied'),
      text: [
        'None of the commands in your mail were applied, and nothing was relayed:',
        '',
        ...lines,
        '',
        'Commands:',
        ...commandHelp.map((h) => `  ${h}`),
      ].join('\n'),
      ...(received.mail.messageIdHeader ? { inReplyTo: received.mail.messageIdHeader } : {}),
    });
  }

  private async storePatches(
    record: CaseRecord,
    attachments: ReportAttachment[],
  ): Promise<PatchFile[]> {
    const stored: PatchFile[] = [];
    for (const patch of patchAttachments(attachments)) {
      const sha256 = createHash('sha256').update(patch.content).digest('hex');
      const safeName = patch.filename.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
      const key = `${record.id}/patches/${sha256.slice(0, 16)}-${safeName}`;
      await this.deps.files.put(key, patch.content, 'text/x-diff');
      stored.push({ filename: patch.filename, key, sha256, bytes: patch.content.length });
    }
    return stored;
  }

  private async apply(
    record: CaseRecord,
    received: ReceivedMail,
    maintainer: Maintainer,
    parsed: Extract<ParsedCommands, { ok: true }>,
    authentication: Authentication,
  ): Promise<void> {
    const messageId = received.delivery.messageId;
    const advisory = parsed.commands.some((c) => c.command.name === 'advisory');
    const patches = advisory ? await this.storePatches(record, received.content.attachments) : [];
    const { record: updated, effects } = await this.deps.commands.apply(
      record,
      parsed,
      {
        id: messageId,
        at: received.receivedAt,
        actor: maintainer.email,
        who: `${maintainer.name} <${maintainer.email}> (${describeMethod(authentication)})`,
        authentication,
        sender: maintainer,
        messageId,
        protection: protectionOf(received.content),
        ...(received.mail.messageIdHeader ? { inReplyTo: received.mail.messageIdHeader } : {}),
      },
      patches,
    );
    // With /advisory the rest of the mail is the advisory, which is not a message to the reporter.
    const text = advisory ? '' : newReplyText(parsed.body);
    if (text) await this.relay(updated, received, maintainer, text, effects.internal);
  }

  private async relay(
    record: CaseRecord,
    received: ReceivedMail,
    maintainer: Maintainer,
    text: string,
    internal: boolean,
  ): Promise<void> {
    if (!text) return;
    const messageId = received.delivery.messageId;
    if (!internal) {
      await this.deps.mailer.toReporter(record, {
        key: `relay/${messageId}`,
        // Says what it is: the maintainer's own subject is usually that of their copy
        // ("New report"), which means nothing to the reporter.
        subject: caseSubject(record, `Reply from the ${this.deps.config.project} security team`),
        text,
      });
    }
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
          content: { ...received.content, text },
          ...(received.senderCheck?.warnings.length
            ? { warnings: received.senderCheck.warnings.map((w) => w.text) }
            : {}),
          note: internal
            ? 'Internal: not relayed to the reporter.'
            : 'Relayed to the reporter from the security address.',
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

  private async explainNotRelayed(
    record: CaseRecord,
    maintainer: Maintainer,
    messageId: string,
  ): Promise<void> {
    await this.toMaintainer(record, maintainer, {
      key: `not-relayed/${messageId}`,
      subject: caseSubject(record, 'Your reply was not relayed'),
      text: [
        'Your mail was not signed and did not answer a mail Embargo sent to you (it named',
        'this case only by its subject tag, or by mail sent to someone else), so it was kept',
        'but not relayed to the reporter. Reply to a mail from Embargo that you received,',
        'or sign your mail with your registered key.',
      ].join('\n'),
    });
  }

  private async toMaintainer(
    record: CaseRecord,
    maintainer: Maintainer,
    mail: Parameters<CaseMailer['toReporter']>[1],
  ) {
    await this.deps.mailer.toMaintainers(record, () => mail, mail.key, { only: maintainer.email });
  }
}
