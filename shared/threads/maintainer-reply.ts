import { createHash } from 'node:crypto';
import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import type { CaseFiles } from '../cases/case-files';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { Logger } from '../logging/logger';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { ReplayGuard } from '../commands/replay-guard';
import type { CommandApplication } from '../commands/command-application';
import {
  parseCommands,
  commandHelp,
  strayCommandLines,
  type ParsedCommands,
} from '../commands/case-commands';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { Authentication, CaseRecord, PatchFile } from '../cases/case-record';
import { appendOnce } from '../cases/case-updates';
import {
  authenticateCommands,
  type CommandAuthentication,
} from '../commands/command-authentication';
import { protectionOf } from '../outbound/maintainer-copies';
import type { ReportAttachment } from '../reports/report-content';
import type { ReceivedMail } from '../reports/received-mail';
import { offeredReporterKey, withAttachedKeysOnly } from './reporter-key';
import { ownText } from './own-text';
import { ReplyRelay, UNSIGNED_BESIDE_NOTE } from './reply-relay';
import type { ThreadMatch } from './thread-router';

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
  private readonly relaying: ReplyRelay;

  constructor(private readonly deps: MaintainerReplyDependencies) {
    this.relaying = new ReplyRelay(deps);
  }

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
    // Commands come only from signed text, and only from what the maintainer wrote there:
    // quoted text and attribution lines are removed first, wherever the client put them.
    const source = auth.ok ? auth.signedText : received.content.text;
    let parsed = parseCommands(ownText(source), now);
    if (parsed.ok && parsed.commands.some((c) => c.command.name === 'advisory')) {
      // The advisory is the rest of the text with only the quotes removed: a `---` rule or a
      // closing "Regards," in it is no signature block.
      const whole = parseCommands(ownText(source, 'keep'), now);
      if (whole.ok && whole.commands.length === parsed.commands.length) parsed = whole;
    }
    const own = ownText(source);
    const stray = parsed.ok && !parsed.commands.length ? strayCommandLines(own) : [];
    if (stray.length) parsed = { ok: false, errors: stray, body: parsed.body };
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
      if (auth.ok || unsigned) {
        await this.relaying.relay(record, received, maintainer, own, {
          internal: false,
          authentication: auth.ok ? auth.authentication : unsigned!,
          unsignedBeside: auth.ok && auth.unsignedBeside === true,
        });
      } else {
        await this.relaying.record(record, received, maintainer, { method: 'none' });
        await this.explainNotRelayed(record, maintainer, messageId);
      }
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
    await this.apply(record, received, maintainer, parsed, auth);
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
    auth: Extract<CommandAuthentication, { ok: true }>,
  ): Promise<void> {
    const messageId = received.delivery.messageId;
    const { authentication } = auth;
    const advisory = parsed.commands.some((c) => c.command.name === 'advisory');
    const internal = parsed.commands.some((c) => c.command.name === 'internal');
    const unsignedBeside = auth.unsignedBeside === true;
    const patches = advisory ? await this.storePatches(record, received.content.attachments) : [];
    // A key the signature covers (the whole signed or encrypted mail), never one beside it.
    const { signature } = auth;
    const wholeMailSigned =
      !signature?.partial &&
      (signature?.part === 'multipart-signed' || signature?.part === 'encrypted-payload');
    const reporterKey =
      parsed.commands.some((c) => c.command.name === 'reporter-key') && wholeMailSigned
        ? await offeredReporterKey(
            this.deps.crypto,
            withAttachedKeysOnly(received.content),
            record.reporter.address,
            { keysRefused: false },
          )
        : undefined;
    // With /advisory the rest of the mail is the advisory, which is not a message to the reporter.
    const text = advisory ? '' : parsed.body;
    const { record: updated, refused } = await this.deps.commands.apply(
      record,
      parsed,
      {
        id: messageId,
        at: received.receivedAt,
        actor: maintainer.email,
        who: `${maintainer.name} <${maintainer.email}> (${describeMethod(authentication)})`,
        authentication,
        sender: maintainer,
        ...(text ? { relay: internal ? ('maintainers' as const) : ('reporter' as const) } : {}),
        messageId,
        protection: protectionOf(received.content),
        ...(received.mail.messageIdHeader ? { inReplyTo: received.mail.messageIdHeader } : {}),
        notes: [
          ...(internal
            ? ['/internal: this mail was kept from the reporter; nothing of it was relayed.']
            : []),
          ...(unsignedBeside ? [UNSIGNED_BESIDE_NOTE] : []),
        ],
      },
      patches,
      reporterKey,
    );
    // Not applied (the sender was told why): all or nothing, so nothing is relayed either.
    if (refused) return;
    if (text)
      await this.relaying.relay(updated, received, maintainer, text, {
        internal,
        authentication,
        unsignedBeside,
      });
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
