import { createHash, randomUUID } from 'node:crypto';
import type { InboundOutcome, TakenDelivery } from './inbound-ledger';
import { mimeLimitExceeded } from '../mail/mime-limits';
import { boundedSender } from '../mail/field-limits';
import { UnstorableValueError } from '../errors';
import { deliveryProblemOf } from '../outbound/delivery-report';
import { quarantineExplanations } from './quarantine';
import { acceptsOpenMail } from './case-capacity';
import { senderOf, type InboundMail, type MailDelivery } from '../mail/inbound-mail';
import { classifyInbound, rejectionExplanations } from './mail-classification';
import { ackHeldText, upstreamReminderText } from '../notices/notice-texts';
import type { ReceivedMail } from '../threads/maintainer-reply';
import { holdUntil } from '../time/invocation-hold';
import type { IntakeDependencies } from './intake-dependencies';
import { openCase } from './case-opening';
import { forwardToMaintainers, senderWarningEvents } from './maintainer-forwarding';
import { appendEachOnce } from '../cases/case-updates';
import { isAuthenticatedMaintainerMail, quarantineOnFullCase } from './full-case';
import { recordPartyMail } from './party-mail';
import { checkSender } from '../addresses/sender-check';
import { withProtectedSubject } from '../mail/protected-headers';
import { collectFlood } from './admission/flood-intake';
import { isMaintainerSigned } from './admission/maintainer-exemption';
import { senderExemption } from './admission/sender-exemption';

/** How long an invocation holds a delivery when its invoker sets no deadline: intake's timeout. */
const DEFAULT_HOLD_MS = 60_000;

export interface ReceiveOptions {
  /** When the invoker stops this invocation (Lambda's timeout); it holds the delivery until then. */
  deadline?: Date;
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
      if (err instanceof UnstorableValueError) return this.unstorable(delivery, err);
      // So that the retry can start at once instead of waiting for the hold to pass.
      await ledger.release(delivery.messageId, holder).catch(() => undefined);
      throw err;
    }
  }

  /**
   * A complaint SES forwarded by mail (feedback forwarding, should it be on) goes where the
   * complaints SES publishes to the sending-events topic go: on the case of the mail it names,
   * told to the maintainers. Only SES's own, DKIM-verified, report counts: anyone can write one.
   */
  private async recordComplaint(
    raw: Buffer,
    mail: InboundMail,
    delivery: MailDelivery,
  ): Promise<void> {
    const from = mail.from?.address.toLowerCase() ?? '';
    if (!/@(?:[a-z0-9-]+\.)*amazonses\.com$/.test(from) || delivery.verdicts.dkim !== 'PASS')
      return;
    const problem = await deliveryProblemOf(
      raw,
      'feedback-report',
      delivery.messageId,
      delivery.receivedAt,
    );
    if (problem) await this.deps.deliveryProblems.record(problem);
  }

  /**
   * A value DynamoDB cannot store, which no retry changes: the message is quarantined now, on
   * this first attempt, rather than retried into the dead-letter queue without an outcome.
   */
  private async unstorable(
    delivery: MailDelivery,
    err: UnstorableValueError,
  ): Promise<InboundOutcome> {
    const outcome = { kind: 'quarantined', reason: 'unstorable' } as const;
    await this.deps.ledger.recordOutcome(
      {
        messageId: delivery.messageId,
        receivedAt: delivery.receivedAt.toISOString(),
        sender: boundedSender(delivery.envelopeFrom),
      },
      outcome,
    );
    this.deps.log.warn('intake.quarantined', {
      messageId: delivery.messageId,
      reason: outcome.reason,
      explanation: quarantineExplanations.unstorable,
      request: err.request,
      detail: err.detail.slice(0, 300),
    });
    return outcome;
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
      sender: boundedSender(senderOf(mail, delivery)),
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
      if (classification.reason === 'feedback-report')
        await this.recordComplaint(raw, mail, delivery);
      return finish({ kind: 'rejected', reason: classification.reason });
    }

    const match = await this.deps.router.resolve(delivery, mail);
    // Counted before anything is decrypted or sent; a maintainer's address after its signature.
    const admit = async () => {
      if (this.isExemptSender(mail, delivery)) return undefined;
      const verdict = await this.deps.flood.admission.admit(
        record.sender,
        match?.role === 'reporter' ? 'follow-up' : 'report',
        delivery.messageId,
        this.deps.clock.now(),
      );
      if (verdict.admitted) return undefined;
      return finish(
        await collectFlood(this.deps, {
          delivery,
          mail,
          sender: record.sender,
          sizeBytes: raw.length,
          verdict,
        }),
      );
    };
    const checkAfterSignature = this.deps.flood.admission.isMaintainerAddress(record.sender);
    if (!checkAfterSignature) {
      const refused = await admit();
      if (refused) return refused;
    }

    const fingerprint = fingerprintOf(mail);
    if (fingerprint) {
      const owner = await ledger.claimFingerprint(fingerprint, delivery.messageId);
      if (owner !== delivery.messageId) return finish({ kind: 'duplicate', duplicateOf: owner });
    }
    const knownKeys = [
      ...this.deps.config.maintainers.flatMap((m) =>
        m.publicKeyArmored ? [m.publicKeyArmored] : [],
      ),
      ...(match?.record.reporterKey ? [match.record.reporterKey.armored] : []),
    ];
    const content = await this.deps.reader.read(raw, knownKeys);
    const senderCheck = await checkSender({
      config: this.deps.config,
      crypto: this.deps.crypto,
      distributors: () => this.deps.distributors.list(),
      mail,
      delivery,
      content,
    });
    const received: ReceivedMail = {
      delivery,
      // An encrypted report's real Subject is inside the encryption (RFC 9788).
      mail: withProtectedSubject(mail, content.protectedHeaders),
      sender: record.sender,
      receivedAt: record.receivedAt,
      content,
      senderCheck,
    };
    if (senderCheck.warnings.length)
      log.warn('intake.sender-warning', {
        messageId: delivery.messageId,
        kinds: senderCheck.warnings.map((w) => w.kind),
      });
    if (checkAfterSignature && !(await isMaintainerSigned(this.deps, received))) {
      const refused = await admit();
      if (refused) return refused;
    }

    if (!match) {
      const { record: opened, created } = await openCase(
        this.deps,
        received,
        previous.reservedCaseId,
        upstream?.name,
      );
      // A case this invocation created has sent nothing yet: no need to ask before each send.
      const dispatch = { caseIsNew: created };
      const acknowledged = await this.deps.acknowledger.send(opened, dispatch);
      await forwardToMaintainers(this.deps, opened, received, 'report', {
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
      !(await isAuthenticatedMaintainerMail(this.deps, match, received))
    )
      return finish(await quarantineOnFullCase(this.deps, match.record, received));
    if (match.role === 'maintainer' && match.maintainer) {
      const warnings = senderWarningEvents(
        received,
        this.deps.config.securityAddress,
        record.receivedAt,
      );
      if (warnings.length) await this.deps.cases.update(match.record, appendEachOnce(...warnings));
      await this.deps.maintainerReplies.handle(
        { ...match, maintainer: match.maintainer },
        received,
      );
    } else {
      await recordPartyMail(
        this.deps,
        match.record,
        received,
        match.role === 'reporter' ? 'follow-up' : 'third-party',
      );
    }
    return finish({ kind: 'follow-up', caseId: match.record.id });
  }

  /** An authenticated exempt sender is not counted (sender-exemption.ts); a claimed one is. */
  private isExemptSender(mail: InboundMail, delivery: MailDelivery): boolean {
    const exemption = senderExemption(this.deps.config, mail, delivery);
    if (exemption.exempt)
      this.deps.log.info('intake.flood-exempt', {
        messageId: delivery.messageId,
        entry: exemption.entry,
      });
    else if (exemption.entry)
      this.deps.log.warn('intake.flood-exemption-refused', {
        messageId: delivery.messageId,
        entry: exemption.entry,
        reason: exemption.reason,
      });
    return exemption.exempt;
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
}
