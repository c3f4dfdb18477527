import { createHash } from 'node:crypto';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../ports/case-repository';
import type { Clock } from '../ports/clock';
import type { InboundLedger, InboundOutcome } from '../ports/inbound-ledger';
import type { Logger } from '../ports/logger';
import type { MailCrypto } from '../ports/mail-crypto';
import type { RawMailStore } from '../ports/raw-mail-store';
import type { ReportReader } from '../ports/report-reader';
import { buildAcknowledgment } from './acknowledgment';
import { formatCaseId, type CaseId } from './case-id';
import type { CaseRecord, Protection, ReporterKey } from './case-record';
import type { InboundMail, MailDelivery } from './inbound-mail';
import type { MailDispatcher } from './mail-dispatcher';
import { classifyInbound, rejectionExplanations } from './mail-classification';
import {
  buildKeyProblemNotice,
  buildMaintainerCopy,
  type ForwardKind,
  type KeyedMaintainer,
} from './maintainer-notices';
import type { ReportContent } from './report-content';
import { newReplyToken } from './reply-token';
import { classifyOwnAddress } from './security-address';

export interface IntakeDependencies {
  config: EmbargoConfig;
  rawMail: RawMailStore;
  ledger: InboundLedger;
  cases: CaseRepository;
  dispatcher: MailDispatcher;
  parse: (raw: Buffer) => Promise<InboundMail>;
  reader: ReportReader;
  crypto: MailCrypto;
  clock: Clock;
  log: Logger;
}

const HOUR_MS = 3_600_000;

/** Same sender and same Message-ID means the same mail, even if it was delivered twice. */
function fingerprintOf(mail: InboundMail): string | undefined {
  if (!mail.from || !mail.messageIdHeader) return undefined;
  return createHash('sha256')
    .update(`${mail.from.address.toLowerCase()}\n${mail.messageIdHeader}`)
    .digest('hex');
}

function protectionOf(content: ReportContent): Protection {
  return {
    encryption: content.encryption,
    signatures: content.signatures,
    ...(content.failure ? { failure: content.failure } : {}),
  };
}

/** What intake knows about one delivery once it has been read. */
interface Received {
  delivery: MailDelivery;
  mail: InboundMail;
  sender: string;
  receivedAt: string;
  content: ReportContent;
}

/**
 * Turns one delivered message into a case, a follow-up on a case, or a recorded rejection.
 * Every step is idempotent, so the whole operation can be re-run after a failure at any point.
 */
export class IntakeService {
  constructor(private readonly deps: IntakeDependencies) {}

  async receive(delivery: MailDelivery): Promise<InboundOutcome> {
    const { ledger, log } = this.deps;
    const previous = await ledger.get(delivery.messageId);
    if (previous?.outcome) {
      log.info('intake.already-processed', {
        messageId: delivery.messageId,
        outcome: previous.outcome.kind,
      });
      return previous.outcome;
    }

    const raw = await this.deps.rawMail.get(delivery.messageId);
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

    const classification = classifyInbound(mail, delivery, this.deps.config.securityAddress);
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

    const followUpCase = await this.caseAddressedByReplyToken(delivery);
    const existing = followUpCase ? await this.deps.cases.get(followUpCase) : undefined;
    const knownKeys = [
      ...this.maintainerKeys(),
      ...(existing?.reporterKey ? [existing.reporterKey.armored] : []),
    ];
    const content = await this.deps.reader.read(raw, knownKeys);
    const received: Received = {
      delivery,
      mail,
      sender: record.sender,
      receivedAt: record.receivedAt,
      content,
    };

    if (existing) {
      await this.recordFollowUp(existing, received);
      return finish({ kind: 'follow-up', caseId: existing.id });
    }

    const opened = await this.openCase(received, previous?.reservedCaseId);
    await this.acknowledge(opened);
    await this.forwardToMaintainers(opened, received, 'report');
    return finish({ kind: 'case', caseId: opened.id });
  }

  private maintainerKeys(): string[] {
    return this.deps.config.maintainers.flatMap((m) =>
      m.publicKeyArmored ? [m.publicKeyArmored] : [],
    );
  }

  private async caseAddressedByReplyToken(delivery: MailDelivery): Promise<CaseId | undefined> {
    for (const recipient of delivery.recipients) {
      const own = classifyOwnAddress(recipient, this.deps.config.securityAddress);
      if (own.kind !== 'reply') continue;
      const caseId = await this.deps.cases.findByReplyToken(own.token);
      if (caseId) return caseId;
    }
    return undefined;
  }

  /** The first offered key that can be encrypted to and names the reporter's address. */
  private async reporterKeyFrom(
    content: ReportContent,
    address: string,
  ): Promise<ReporterKey | undefined> {
    for (const armored of content.offeredKeys) {
      const inspection = await this.deps.crypto.inspectKey(armored);
      if (!inspection.usable) continue;
      const names = inspection.userIds.some(
        (uid) =>
          uid.toLowerCase().includes(`<${address.toLowerCase()}>`) ||
          uid.toLowerCase() === address.toLowerCase(),
      );
      if (names) return { fingerprint: inspection.fingerprint, armored };
    }
    return undefined;
  }

  private async openCase(received: Received, reserved: CaseId | undefined): Promise<CaseRecord> {
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
    return cases.createIfAbsent({
      id: caseId,
      status: 'new',
      reporter,
      subject: mail.subject,
      receivedAt,
      ackDueAt: new Date(
        delivery.receivedAt.getTime() + config.ackWithinHours * HOUR_MS,
      ).toISOString(),
      reportMessageId: delivery.messageId,
      ...(mail.messageIdHeader ? { reportMessageIdHeader: mail.messageIdHeader } : {}),
      reporterReplyToken: newReplyToken(),
      protection,
      ...(reporterKey ? { reporterKey } : {}),
      history: [
        {
          id: 'opened',
          at: receivedAt,
          type: 'opened',
          actor: reporter.address,
          summary: protection.failure
            ? 'Report received but could not be decrypted; case opened'
            : 'Report received; case opened',
          messageId: delivery.messageId,
          protection,
        },
      ],
    });
  }

  private async recordFollowUp(existing: CaseRecord, received: Received): Promise<void> {
    const { cases } = this.deps;
    const { delivery, content } = received;
    await cases.appendEvent(existing.id, {
      id: `follow-up:${delivery.messageId}`,
      at: received.receivedAt,
      type: 'follow-up',
      actor: received.sender,
      summary: content.failure
        ? 'Follow-up received but could not be decrypted'
        : 'Follow-up received',
      messageId: delivery.messageId,
    });
    let record = existing;
    if (received.sender.toLowerCase() === existing.reporter.address.toLowerCase()) {
      const key = await this.reporterKeyFrom(content, existing.reporter.address);
      if (key && key.fingerprint !== existing.reporterKey?.fingerprint) {
        await cases.setReporterKey(existing.id, key);
        await cases.appendEvent(existing.id, {
          id: `reporter-key:${delivery.messageId}`,
          at: received.receivedAt,
          type: 'reporter-key',
          actor: received.sender,
          summary: `Reporter key ${key.fingerprint} recorded; mail to the reporter is encrypted to it`,
          messageId: delivery.messageId,
        });
        record = { ...existing, reporterKey: key };
      }
    }
    await this.forwardToMaintainers(record, received, 'follow-up');
  }

  private async acknowledge(opened: CaseRecord): Promise<void> {
    const { dispatcher, cases, clock, config, crypto } = this.deps;
    if (opened.acknowledgedAt) return;
    await dispatcher.dispatch(
      buildAcknowledgment(opened, config, await crypto.projectFingerprint()),
    );
    const at = clock.now().toISOString();
    await cases.appendEvent(opened.id, {
      id: 'acknowledged',
      at,
      type: 'acknowledged',
      actor: config.securityAddress,
      summary: `Acknowledgment sent to ${opened.reporter.address}${opened.reporterKey ? ', encrypted to the reporter key' : ''}`,
    });
    await cases.markAcknowledged(opened.id, at);
  }

  /**
   * Each maintainer gets their own copy, encrypted to their key alone. A maintainer whose key
   * cannot be used gets nothing; the case records it and the others are told.
   */
  private async forwardToMaintainers(
    record: CaseRecord,
    received: Received,
    kind: ForwardKind,
  ): Promise<void> {
    const { config, crypto, dispatcher, cases, clock } = this.deps;
    const messageId = received.delivery.messageId;
    const keyed: KeyedMaintainer[] = [];
    const unreachable: { maintainer: (typeof config.maintainers)[number]; problem: string }[] = [];
    for (const maintainer of config.maintainers) {
      const inspection = maintainer.publicKeyArmored
        ? await crypto.inspectKey(maintainer.publicKeyArmored)
        : ({ usable: false, problem: 'no public key is configured' } as const);
      if (inspection.usable && maintainer.publicKeyArmored) {
        keyed.push({ ...maintainer, publicKeyArmored: maintainer.publicKeyArmored });
      } else if (!inspection.usable) {
        unreachable.push({ maintainer, problem: inspection.problem });
      }
    }

    for (const maintainer of keyed) {
      await dispatcher.dispatch(
        buildMaintainerCopy({
          config,
          record,
          maintainer,
          kind,
          messageId,
          sender: received.sender,
          subject: received.mail.subject,
          receivedAt: received.receivedAt,
          content: received.content,
        }),
      );
    }
    for (const { maintainer, problem } of unreachable) {
      await cases.appendEvent(record.id, {
        id: `maintainer-key-unusable:${messageId}:${maintainer.email.toLowerCase()}`,
        at: clock.now().toISOString(),
        type: 'maintainer-key-unusable',
        actor: config.securityAddress,
        summary: `Not sent to ${maintainer.name} <${maintainer.email}>: ${problem}`,
        messageId,
      });
      for (const recipient of keyed) {
        await dispatcher.dispatch(
          buildKeyProblemNotice({
            config,
            record,
            recipient,
            unreachable: maintainer,
            problem,
            messageId,
          }),
        );
      }
    }
    if (received.content.failure) {
      await cases.appendEvent(record.id, {
        id: `undecryptable:${messageId}`,
        at: clock.now().toISOString(),
        type: 'undecryptable',
        actor: config.securityAddress,
        summary: `Could not decrypt message ${messageId} (${received.content.failure}); raw message kept`,
        messageId,
      });
    }
    await cases.appendEvent(record.id, {
      id: `forwarded:${messageId}`,
      at: clock.now().toISOString(),
      type: 'forwarded',
      actor: config.securityAddress,
      summary: keyed.length
        ? `${kind === 'report' ? 'Report' : 'Follow-up'} sent encrypted to ${keyed.map((m) => m.name).join(', ')}`
        : config.maintainers.length
          ? `No maintainer could be sent this ${kind}: none has a usable key`
          : `No maintainers are configured to receive this ${kind}`,
      messageId,
    });
  }
}
