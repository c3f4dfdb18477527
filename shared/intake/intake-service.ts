import { createHash, randomUUID } from 'node:crypto';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseFiles } from '../cases/case-files';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { InboundLedger, InboundOutcome, TakenDelivery } from './inbound-ledger';
import type { Logger } from '../logging/logger';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { RawMailStore } from './raw-mail-store';
import type { ReplayGuard } from '../commands/replay-guard';
import type { ReportReader } from '../reports/report-reader';
import type { Acknowledger } from '../acknowledgment/acknowledger';
import { formatCaseId, type CaseId } from '../cases/case-id';
import { attemptsCommands } from '../commands/case-commands';
import type { CaseMailer } from '../outbound/case-mailer';
import { caseSubject } from '../outbound/case-mailer';
import type { CaseEvent, CaseRecord, CaseUpdate, ReporterKey } from '../cases/case-record';
import { appendEachOnce, appendOnce } from '../cases/case-updates';
import { mimeLimitExceeded } from '../mail/mime-limits';
import { quarantineExplanations } from './quarantine';
import { acceptsOpenMail, caseSizeBytes, CASE_ITEM_LIMIT_BYTES } from './case-capacity';
import { authenticateCommands } from '../commands/command-authentication';
import type { InboundMail, MailDelivery } from './inbound-mail';
import { classifyInbound, rejectionExplanations } from './mail-classification';
import {
  buildMaintainerCopy,
  protectionOf,
  type ForwardKind,
} from '../outbound/maintainer-notices';
import { attachmentsForMail, keptAttachmentsSummary } from '../reports/oversized-attachments';
import { ackHeldText, upstreamReminderText } from '../notices/notice-texts';
import type { MaintainerReplyService, ReceivedMail } from '../threads/maintainer-reply';
import type { ReportContent } from '../reports/report-content';
import type { DispatchOptions } from '../outbound/mail-dispatcher';
import { newMessageIdKey } from '../outbound/message-id';
import { holdUntil } from '../time/invocation-hold';
import { newReplyToken } from '../threads/reply-token';
import type { ThreadMatch, ThreadRouter } from '../threads/thread-router';

export interface IntakeDependencies {
  config: EmbargoConfig;
  rawMail: RawMailStore;
  files: CaseFiles;
  ledger: InboundLedger;
  cases: CaseRepository;
  mailer: CaseMailer;
  router: ThreadRouter;
  maintainerReplies: MaintainerReplyService;
  acknowledger: Acknowledger;
  replays: ReplayGuard;
  parse: (raw: Buffer) => Promise<InboundMail>;
  reader: ReportReader;
  crypto: MailCrypto;
  clock: Clock;
  log: Logger;
}

const HOUR_MS = 3_600_000;
/** How long an invocation holds a delivery when its invoker sets no deadline: intake's timeout. */
const DEFAULT_HOLD_MS = 60_000;

export interface ReceiveOptions {
  /** When the invoker stops this invocation (Lambda's timeout); it holds the delivery until then. */
  deadline?: Date;
}

/**
 * Why a new report's automatic acknowledgment should wait for a maintainer, if it should: SES
 * found that the From domain's own DMARC policy rejects this mail, so the From line is most
 * likely forged and the acknowledgment would go to someone who never wrote (backscatter, which
 * also costs the project's sending reputation).
 */
function ackHoldReason(delivery: MailDelivery): string | undefined {
  return delivery.verdicts.dmarc === 'FAIL'
    ? `SES reports DMARC FAIL for the sender's domain (the From line is likely forged)`
    : undefined;
}

/** Same sender and same Message-ID means the same mail, even if it was delivered twice. */
function fingerprintOf(mail: InboundMail): string | undefined {
  if (!mail.from || !mail.messageIdHeader) return undefined;
  return createHash('sha256')
    .update(`${mail.from.address.toLowerCase()}\n${mail.messageIdHeader}`)
    .digest('hex');
}

/**
 * Turns one delivered message into a case, a message on a case, or a recorded rejection.
 * Every step is idempotent, so the whole operation can be re-run after a failure at any point.
 */
export class IntakeService {
  constructor(private readonly deps: IntakeDependencies) {}

  async receive(delivery: MailDelivery, options: ReceiveOptions = {}): Promise<InboundOutcome> {
    const { ledger, log, clock } = this.deps;
    const now = clock.now();
    const holder = randomUUID();
    const until = holdUntil(now, options.deadline, DEFAULT_HOLD_MS);
    const previous = await ledger.take(delivery.messageId, holder, now, until);
    if (previous.outcome) {
      log.info('intake.already-processed', {
        messageId: delivery.messageId,
        outcome: previous.outcome.kind,
      });
      return previous.outcome;
    }
    try {
      return await this.handle(delivery, previous);
    } catch (err) {
      // So that the retry can start at once instead of waiting for the hold to pass.
      await ledger.release(delivery.messageId, holder).catch(() => undefined);
      throw err;
    }
  }

  private async handle(delivery: MailDelivery, previous: TakenDelivery): Promise<InboundOutcome> {
    const { ledger, log } = this.deps;
    const raw = await this.deps.rawMail.get(delivery.messageId);
    const quarantine = mimeLimitExceeded(raw);
    if (quarantine) {
      const outcome = { kind: 'quarantined', reason: quarantine } as const;
      await ledger.recordOutcome(
        {
          messageId: delivery.messageId,
          receivedAt: delivery.receivedAt.toISOString(),
          sender: delivery.envelopeFrom,
        },
        outcome,
      );
      log.warn('intake.quarantined', {
        messageId: delivery.messageId,
        reason: quarantine,
        explanation: quarantineExplanations[quarantine],
      });
      return outcome;
    }
    const mail = await this.deps.parse(raw);
    const record = {
      messageId: delivery.messageId,
      receivedAt: delivery.receivedAt.toISOString(),
      sender: mail.from?.address ?? delivery.envelopeFrom,
    };
    const finish = async (outcome: InboundOutcome): Promise<InboundOutcome> => {
      await ledger.recordOutcome(record, outcome);
      log.info('intake.outcome', {
        messageId: delivery.messageId,
        sender: record.sender,
        ...outcome,
      });
      return outcome;
    };

    const upstream = this.upstreamSender(mail, delivery);
    const classification = upstream
      ? ({ kind: 'report' } as const)
      : classifyInbound(mail, delivery, this.deps.config.securityAddress);
    if (classification.kind === 'rejected') {
      log.warn('intake.rejected', {
        messageId: delivery.messageId,
        reason: classification.reason,
        explanation: rejectionExplanations[classification.reason],
      });
      return finish({ kind: 'rejected', reason: classification.reason });
    }

    const fingerprint = fingerprintOf(mail);
    if (fingerprint) {
      const owner = await ledger.claimFingerprint(fingerprint, delivery.messageId);
      if (owner !== delivery.messageId) return finish({ kind: 'duplicate', duplicateOf: owner });
    }

    const match = await this.deps.router.resolve(delivery, mail);
    const knownKeys = [
      ...this.deps.config.maintainers.flatMap((m) =>
        m.publicKeyArmored ? [m.publicKeyArmored] : [],
      ),
      ...(match?.record.reporterKey ? [match.record.reporterKey.armored] : []),
    ];
    const received: ReceivedMail = {
      delivery,
      mail,
      sender: record.sender,
      receivedAt: record.receivedAt,
      content: await this.deps.reader.read(raw, knownKeys),
    };

    if (!match) {
      const { record: opened, created } = await this.openCase(
        received,
        previous.reservedCaseId,
        upstream?.name,
      );
      // A case this invocation created has sent nothing yet: no need to ask before each send.
      const dispatch = { caseIsNew: created };
      const acknowledged = await this.deps.acknowledger.send(opened, dispatch);
      await this.forward(opened, received, 'report', {
        ...(upstream
          ? { note: upstreamReminderText(opened, upstream.name) }
          : opened.ackHeld
            ? { note: ackHeldText(opened) }
            : {}),
        dispatch,
        ...(acknowledged ? { alsoRecord: acknowledged } : {}),
      });
      return finish({ kind: 'case', caseId: opened.id });
    }
    log.info('intake.thread', {
      messageId: delivery.messageId,
      caseId: match.record.id,
      role: match.role,
      via: match.via,
    });
    if (
      !acceptsOpenMail(match.record) &&
      !(await this.fromAuthenticatedMaintainer(match, received))
    )
      return finish(await this.caseFull(match.record, received));
    if (match.role === 'maintainer' && match.maintainer) {
      await this.deps.maintainerReplies.handle(
        { ...match, maintainer: match.maintainer },
        received,
      );
    } else {
      await this.partyMail(
        match.record,
        received,
        match.role === 'reporter' ? 'follow-up' : 'third-party',
      );
    }
    return finish({ kind: 'follow-up', caseId: match.record.id });
  }

  /**
   * Mail the maintainer's registered key signed (what may also carry commands), and not a
   * replay: its signature is claimed for this message, as the command handling does after it.
   */
  private async fromAuthenticatedMaintainer(
    match: ThreadMatch,
    received: ReceivedMail,
  ): Promise<boolean> {
    if (match.role !== 'maintainer' || !match.maintainer) return false;
    const auth = await authenticateCommands({
      config: this.deps.config,
      crypto: this.deps.crypto,
      maintainer: match.maintainer,
      content: received.content,
      delivery: received.delivery,
      now: this.deps.clock.now(),
    });
    if (!auth.ok) return false;
    const signatureId = auth.signature?.signatureId;
    if (!signatureId) return true;
    const messageId = received.delivery.messageId;
    return (await this.deps.replays.claimSignature(signatureId, messageId)) === messageId;
  }

  /**
   * A case too full for outside mail: the message is kept (quarantined), the sender hears
   * nothing, and the maintainers are told once, with the case recording it once.
   */
  private async caseFull(record: CaseRecord, received: ReceivedMail): Promise<InboundOutcome> {
    const { config, mailer, cases, log } = this.deps;
    const messageId = received.delivery.messageId;
    const size = `${Math.round(caseSizeBytes(record) / 1024)} KiB`;
    log.warn('intake.quarantined', {
      messageId,
      caseId: record.id,
      reason: 'case-full',
      explanation: quarantineExplanations['case-full'],
    });
    await mailer.toMaintainers(
      record,
      () => ({
        key: 'case-full',
        subject: caseSubject(record, 'Case full: outside mail is no longer added'),
        text: [
          `${record.id} holds ${size} of the ${CASE_ITEM_LIMIT_BYTES / 1024} KiB a case can hold.`,
          'From now on, mail on it is added and forwarded only when a maintainer signed it. Other',
          'mail on the case (from the reporter or anyone using its tag) is kept unread and listed',
          `by \`npx embargo inbound\` as quarantined (case-full). This usually means a flood of mail.`,
          'Signed commands still work; if the reporter has more to say, ask them to write a new report.',
        ].join('\n'),
      }),
      'case-full',
    );
    await cases.update(
      record,
      appendOnce({
        id: 'case-full',
        at: received.receivedAt,
        type: 'case-full',
        actor: config.securityAddress,
        summary: `Case full (${size}): mail not signed by a maintainer is kept but no longer added; first was ${messageId}`,
        messageId,
        authentication: { method: 'system' },
      }),
    );
    return { kind: 'quarantined', reason: 'case-full' };
  }

  /**
   * Announcements from configured upstream senders (a bundled library's advisories) open an
   * upstream case even though they come from a list. Virus and spam verdicts still apply.
   */
  private upstreamSender(mail: InboundMail, delivery: MailDelivery) {
    if (delivery.verdicts.virus === 'FAIL' || delivery.verdicts.spam === 'FAIL') return undefined;
    const from = mail.from?.address.toLowerCase();
    return this.deps.config.upstreamSenders.find((u) => u.address.toLowerCase() === from);
  }

  /** The first offered key that can be encrypted to and names the reporter's address. */
  private async reporterKeyFrom(
    content: ReportContent,
    address: string,
  ): Promise<ReporterKey | undefined> {
    for (const armored of content.offeredKeys) {
      const inspection = await this.deps.crypto.inspectKey(armored);
      if (!inspection.usable) continue;
      const wanted = address.toLowerCase();
      if (
        inspection.userIds.some(
          (uid) => uid.toLowerCase().includes(`<${wanted}>`) || uid.toLowerCase() === wanted,
        )
      ) {
        return { fingerprint: inspection.fingerprint, armored };
      }
    }
    return undefined;
  }

  private async openCase(
    received: ReceivedMail,
    reserved: CaseId | undefined,
    upstream?: string,
  ): Promise<{ record: CaseRecord; created: boolean }> {
    const { cases, ledger, config } = this.deps;
    const { delivery, mail, content, receivedAt } = received;
    let caseId = reserved;
    if (!caseId) {
      const year = delivery.receivedAt.getUTCFullYear();
      const candidate = formatCaseId(year, await cases.nextSequence(year));
      caseId = await ledger.reserveCaseId(
        { messageId: delivery.messageId, receivedAt, sender: received.sender },
        candidate,
      );
    }
    const reporter = mail.from ?? { address: delivery.envelopeFrom };
    const reporterKey = await this.reporterKeyFrom(content, reporter.address);
    const protection = protectionOf(content);
    const ackHeld = upstream ? undefined : ackHoldReason(delivery);
    return cases.createIfAbsent({
      id: caseId,
      kind: upstream ? 'upstream' : 'report',
      status: 'new',
      reporter,
      subject: mail.subject,
      receivedAt,
      ackDueAt: new Date(
        delivery.receivedAt.getTime() + config.ackWithinHours * HOUR_MS,
      ).toISOString(),
      reportMessageId: delivery.messageId,
      ...(mail.messageIdHeader ? { reportMessageIdHeader: mail.messageIdHeader } : {}),
      reporterReplyToken: newReplyToken(caseId),
      // Every maintainer's token now, so that no mail to a maintainer has to write one first.
      maintainerReplyTokens: Object.fromEntries(
        config.maintainers.map((m) => [m.email.toLowerCase(), newReplyToken(caseId)]),
      ),
      messageIdKey: newMessageIdKey(),
      protection,
      ...(reporterKey ? { reporterKey } : {}),
      version: 1,
      history: [
        {
          id: 'opened',
          at: receivedAt,
          type: 'opened',
          actor: reporter.address,
          summary: upstream
            ? `Upstream security announcement from ${upstream}; case opened`
            : protection.failure
              ? 'Report received but could not be decrypted; case opened'
              : 'Report received; case opened',
          messageId: delivery.messageId,
          protection,
          authentication: { method: 'none' },
        },
        ...(ackHeld
          ? [
              {
                id: 'ack-held',
                at: receivedAt,
                type: 'ack-held' as const,
                actor: config.securityAddress,
                summary: `Acknowledgment held for the maintainers: ${ackHeld}`,
                authentication: { method: 'system' as const },
              },
            ]
          : []),
      ],
      ...(ackHeld ? { ackHeld } : {}),
    });
  }

  /** Mail on a case from its reporter, or from someone else who reached the thread. */
  private async partyMail(
    existing: CaseRecord,
    received: ReceivedMail,
    kind: ForwardKind,
  ): Promise<void> {
    const { cases } = this.deps;
    const { delivery, content } = received;
    const messageId = delivery.messageId;
    let record = await cases.update(
      existing,
      appendOnce({
        id: `follow-up:${messageId}`,
        at: received.receivedAt,
        type: 'follow-up',
        actor: received.sender,
        summary: `${kind === 'follow-up' ? 'Follow-up from the reporter' : 'Mail from a non-party'}${content.failure ? ', could not be decrypted' : ''}`,
        messageId,
        protection: protectionOf(content),
        authentication: { method: 'none' },
      }),
    );
    if (kind === 'follow-up') {
      const key = await this.reporterKeyFrom(content, existing.reporter.address);
      if (key && key.fingerprint !== record.reporterKey?.fingerprint) {
        record = await cases.update(
          record,
          appendOnce(
            {
              id: `reporter-key:${messageId}`,
              at: received.receivedAt,
              type: 'reporter-key',
              actor: received.sender,
              summary: `Reporter key ${key.fingerprint} recorded; mail to the reporter is encrypted to it`,
              messageId,
            },
            { reporterKey: key },
          ),
        );
      }
    }
    if (attemptsCommands(content.text)) {
      // Only maintainers command. The sender learns that, and nothing else.
      record = await cases.update(
        record,
        appendOnce({
          id: `commands-refused:${messageId}`,
          at: received.receivedAt,
          type: 'commands-refused',
          actor: received.sender,
          summary: 'Commands refused: the sender is not a maintainer',
          messageId,
          authentication: { method: 'none' },
        }),
      );
      await this.deps.mailer.toAddress(record, received.sender, {
        key: `commands-refused/${messageId}`,
        subject: caseSubject(record, 'Commands not accepted'),
        text: `Commands are not accepted from ${received.sender}.`,
        autoSubmitted: 'auto-replied',
      });
    }
    await this.forward(record, received, kind);
  }

  /**
   * Each maintainer gets their own copy, encrypted to their key alone. The case then records it
   * in one write, with `alsoRecord` (the acknowledgment of a new report).
   */
  private async forward(
    record: CaseRecord,
    received: ReceivedMail,
    kind: ForwardKind,
    options: { note?: string; dispatch?: DispatchOptions; alsoRecord?: CaseUpdate } = {},
  ): Promise<void> {
    const { mailer, cases, clock, config } = this.deps;
    const { note } = options;
    const messageId = received.delivery.messageId;
    const attachments = received.content.failure
      ? { inline: [], kept: [] }
      : await attachmentsForMail(this.deps.files, record.id, received.content.attachments);
    const sent = await mailer.toMaintainers(
      record,
      () =>
        buildMaintainerCopy({
          record,
          kind,
          messageId,
          ...(received.mail.messageIdHeader
            ? { messageIdHeader: received.mail.messageIdHeader }
            : {}),
          sender: received.sender,
          subject: received.mail.subject,
          receivedAt: received.receivedAt,
          content: received.content,
          attachments,
          ...(kind === 'third-party'
            ? {
                note: `${received.sender} is not the reporter or a maintainer of this case; nothing was relayed.`,
              }
            : note
              ? { note }
              : {}),
        }),
      `${kind}/${messageId}`,
      {},
      options.dispatch,
    );
    const now = clock.now().toISOString();
    const event = (e: CaseEvent): CaseUpdate => ({ events: [e] });
    await cases.update(
      record,
      appendEachOnce(
        ...(options.alsoRecord ? [options.alsoRecord] : []),
        ...(received.content.failure
          ? [
              event({
                id: `undecryptable:${messageId}`,
                at: now,
                type: 'undecryptable',
                actor: config.securityAddress,
                summary: `Could not decrypt message ${messageId} (${received.content.failure}); raw message kept`,
                messageId,
              }),
            ]
          : []),
        event({
          id: `forwarded:${messageId}`,
          at: now,
          type: 'forwarded',
          actor: config.securityAddress,
          summary: `${
            sent.length
              ? `Sent encrypted to ${sent.map((m) => m.name).join(', ')}`
              : config.maintainers.length
                ? 'No maintainer could be sent this mail: none has a usable key'
                : 'No maintainers are configured to receive this mail'
          }${attachments.kept.length ? `; ${keptAttachmentsSummary(attachments.kept)}` : ''}`,
          messageId,
        }),
      ),
    );
  }
}
