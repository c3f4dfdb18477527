import { createHash } from 'node:crypto';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../ports/case-repository';
import type { Clock } from '../ports/clock';
import type { InboundLedger, InboundOutcome, InboundRecord } from '../ports/inbound-ledger';
import type { Logger } from '../ports/logger';
import type { RawMailStore } from '../ports/raw-mail-store';
import { buildAcknowledgment } from './acknowledgment';
import { formatCaseId, type CaseId } from './case-id';
import type { CaseRecord } from './case-record';
import type { InboundMail, MailDelivery } from './inbound-mail';
import type { MailDispatcher } from './mail-dispatcher';
import { classifyInbound, rejectionExplanations } from './mail-classification';
import { newReplyToken } from './reply-token';
import { classifyOwnAddress } from './security-address';

export interface IntakeDependencies {
  config: EmbargoConfig;
  rawMail: RawMailStore;
  ledger: InboundLedger;
  cases: CaseRepository;
  dispatcher: MailDispatcher;
  parse: (raw: Buffer) => Promise<InboundMail>;
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
    if (followUpCase) {
      await this.deps.cases.appendEvent(followUpCase, {
        id: `follow-up:${delivery.messageId}`,
        at: record.receivedAt,
        type: 'follow-up',
        actor: record.sender,
        summary: 'Follow-up mail received',
        messageId: delivery.messageId,
      });
      return finish({ kind: 'follow-up', caseId: followUpCase });
    }

    const opened = await this.openCase(mail, delivery, previous?.reservedCaseId);
    await this.acknowledge(opened);
    return finish({ kind: 'case', caseId: opened.id });
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

  private async openCase(
    mail: InboundMail,
    delivery: MailDelivery,
    reserved: CaseId | undefined,
  ): Promise<CaseRecord> {
    const { cases, ledger, config } = this.deps;
    const receivedAt = delivery.receivedAt.toISOString();
    let caseId = reserved;
    if (!caseId) {
      const year = delivery.receivedAt.getUTCFullYear();
      const candidate = formatCaseId(year, await cases.nextSequence(year));
      const ledgerRecord: Omit<InboundRecord, 'outcome'> = {
        messageId: delivery.messageId,
        receivedAt,
        sender: mail.from?.address ?? delivery.envelopeFrom,
      };
      caseId = await ledger.reserveCaseId(ledgerRecord, candidate);
    }
    const reporter = mail.from ?? { address: delivery.envelopeFrom };
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
      history: [
        {
          id: 'opened',
          at: receivedAt,
          type: 'opened',
          actor: reporter.address,
          summary: 'Report received; case opened',
          messageId: delivery.messageId,
        },
      ],
    });
  }

  private async acknowledge(opened: CaseRecord): Promise<void> {
    const { dispatcher, cases, clock, config } = this.deps;
    if (opened.acknowledgedAt) return;
    await dispatcher.dispatch(buildAcknowledgment(opened, config));
    const at = clock.now().toISOString();
    await cases.appendEvent(opened.id, {
      id: 'acknowledged',
      at,
      type: 'acknowledged',
      actor: config.securityAddress,
      summary: `Acknowledgment sent to ${opened.reporter.address}`,
    });
    await cases.markAcknowledged(opened.id, at);
  }
}
