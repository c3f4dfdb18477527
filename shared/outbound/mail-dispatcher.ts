import type { Clock } from '../time/clock';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { MailTransport } from './mail-transport';
import type { OutboxLedger } from './outbox-ledger';
import type { SentTo, ThreadIndex } from '../cases/thread-index';
import { renderMime } from './render-mime';
import { caseSubjectTag, type CaseId } from '../cases/case-id';
import { ENCRYPTED_SUBJECT_WORDS } from '../mail/header-protection';
import { hasOwnMessageIdShape, randomMessageId } from './message-id';
import type { OutboundMessage } from './outbound-message';
import { splitAddress } from '../addresses/security-address';
import { mailboxToSendTo } from '../addresses/mailbox';
import type { Logger } from '../logging/logger';
import {
  budgetLimits,
  SendingBudgetError,
  type MailPriority,
  type SendingBudget,
} from './sending-budget';

/**
 * The only Subject an encrypted mail shows in clear text: its case tag and fixed words. Every
 * mail hop and mailbox index sees this; the real one is inside (RFC 9788 protected headers).
 */
export function outerSubject(message: OutboundMessage): string {
  return message.caseId
    ? `${caseSubjectTag(message.caseId as CaseId)} ${ENCRYPTED_SUBJECT_WORDS}`
    : ENCRYPTED_SUBJECT_WORDS;
}

export interface DispatchResult {
  /** False when an earlier attempt sent it already. */
  sent: boolean;
  messageIdHeader: string;
}

export interface DispatchOptions {
  /** The case was created by this very invocation, so none of its mails can have gone out. */
  caseIsNew?: boolean;
  /** Copies of incoming mail: near the day's sending budget they wait, so others go first. */
  deferrable?: boolean;
}

/** The day's sending budget, with where to say that it runs low. */
export interface DispatchBudget {
  budget: SendingBudget;
  maxMailsPerDay: number;
  log: Logger;
}

/**
 * Sends each logical mail at most once per idempotency key, and records it in the thread index
 * once sent. A crash between the send and the record resends the same mail with the same
 * Message-ID (receivers can tell it is a repeat) instead of losing it.
 *
 * A mail with a derived Message-ID (the same on every attempt) needs no claim before sending: the
 * thread index entry, written after the send, is the record that it went out. Otherwise the
 * Message-ID is claimed in the outbox ledger first, so that a retry reuses it.
 */
export class MailDispatcher {
  constructor(
    private readonly outbox: OutboxLedger,
    private readonly threads: ThreadIndex,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    private readonly crypto: MailCrypto,
    private readonly limits?: DispatchBudget,
  ) {}

  async dispatch(message: OutboundMessage, options: DispatchOptions = {}): Promise<DispatchResult> {
    // Every outbound mail passes here: an address that is not a single plain mailbox is refused
    // before anything is claimed or sent (UnsafeRecipientError), and the header and envelope
    // use the checked form, so that they name the same mailbox.
    const to = { ...message.to, address: mailboxToSendTo(message.to.address) };
    const from = { ...message.from, address: mailboxToSendTo(message.from.address) };
    const replyTo = message.replyTo === undefined ? undefined : mailboxToSendTo(message.replyTo);
    message = { ...message, to, from, ...(replyTo === undefined ? {} : { replyTo }) };
    message = await this.withOwnThreading(message);
    const caseId = message.caseId as CaseId | undefined;
    const sentTo: SentTo = { party: message.party ?? 'other', address: to.address.toLowerCase() };
    if (message.messageIdHeader && caseId) {
      const messageIdHeader = message.messageIdHeader;
      if (!options.caseIsNew && (await this.threads.sentAt(messageIdHeader)))
        return { sent: false, messageIdHeader };
      await this.send(message, messageIdHeader, options);
      await this.threads.recordSent(
        messageIdHeader,
        caseId,
        this.clock.now().toISOString(),
        sentTo,
      );
      return { sent: true, messageIdHeader };
    }

    const domain = splitAddress(message.from.address)?.domain ?? 'localhost';
    const entry = await this.outbox.claim(message.idempotencyKey, randomMessageId(domain));
    let sentAt = entry.sentAt;
    if (!sentAt) {
      await this.send(message, entry.messageIdHeader, options);
      sentAt = this.clock.now().toISOString();
      await this.outbox.markSent(message.idempotencyKey, sentAt);
    }
    // Also when an earlier attempt sent it: that attempt may have stopped before this record.
    if (caseId) await this.threads.recordSent(entry.messageIdHeader, caseId, sentAt, sentTo);
    return { sent: !entry.sentAt, messageIdHeader: entry.messageIdHeader };
  }

  /**
   * Drops from In-Reply-To and References every Message-ID that Embargo sent to anyone but this
   * recipient as this party: such an id would let the recipient pose as whoever it was sent to.
   * (An inbound mail's own Message-ID is chosen by its sender, who may have copied one there.)
   */
  private async withOwnThreading(message: OutboundMessage): Promise<OutboundMessage> {
    const domain = splitAddress(message.from.address)?.domain ?? 'localhost';
    const named = [
      ...(message.references ?? []),
      ...(message.inReplyTo ? [message.inReplyTo] : []),
    ].filter((id) => hasOwnMessageIdShape(id, domain));
    if (!named.length) return message;
    const party = message.party ?? 'other';
    const address = message.to.address.toLowerCase();
    const foreign = new Set(
      (await this.threads.findSent(named))
        .filter((s) => s.sentTo?.party !== party || s.sentTo.address !== address)
        .map((s) => s.messageIdHeader),
    );
    if (!foreign.size) return message;
    const { inReplyTo, references, ...rest } = message;
    const kept = (references ?? []).filter((r) => !foreign.has(r));
    return {
      ...rest,
      ...(inReplyTo && !foreign.has(inReplyTo) ? { inReplyTo } : {}),
      ...(kept.length ? { references: kept } : {}),
    };
  }

  private async send(
    message: OutboundMessage,
    messageIdHeader: string,
    options: DispatchOptions,
  ): Promise<void> {
    await this.spendBudget(options.deferrable ? 'deferrable' : 'first');
    const rendered = await renderMime(message, messageIdHeader, this.clock.now());
    const raw = message.encryptTo
      ? await this.crypto.encryptAndSign(rendered, message.encryptTo, outerSubject(message))
      : rendered;
    await this.transport.send({
      envelopeFrom: message.from.address,
      recipient: message.to.address,
      raw,
    });
  }

  /** Counts the mail against the day's budget first; refuses it when its share is spent. */
  private async spendBudget(priority: MailPriority): Promise<void> {
    if (!this.limits) return;
    const { budget, maxMailsPerDay, log } = this.limits;
    const answer = await budget.spend(priority, this.clock.now());
    if (!answer.allowed) {
      // One log line per refused mail: the alarm counts them (infra/aws/monitoring).
      log.warn('outbound.budget-spent', { priority, limit: answer.limit });
      throw new SendingBudgetError(priority, answer.limit);
    }
    if (answer.sentToday === budgetLimits(maxMailsPerDay).deferrable)
      log.warn('outbound.budget-low', { sentToday: answer.sentToday, maxMailsPerDay });
  }
}
