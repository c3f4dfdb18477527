import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../time/clock';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { MailTransport } from './mail-transport';
import type { OutboxLedger } from './outbox-ledger';
import type { SentTo, ThreadIndex } from '../cases/thread-index';
import { renderMime } from './render-mime';
import { caseSubjectTag, type CaseId } from '../cases/case-id';
import { ENCRYPTED_SUBJECT_WORDS } from '../mail/header-protection';
import { hasOwnMessageIdShape, randomMessageId } from './message-id';
import { isSesMessageIdHeader } from './ses-behaviour/ses-message-id';
import type { OutboundMessage } from './outbound-message';
import { splitAddress } from '../addresses/security-address';
import { mailboxToSendTo } from '../addresses/mailbox';
import type { Logger } from '../logging/logger';
import { MailTooLargeError } from '../errors';
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
  /** The Message-ID recipients see: SES's (or, in records from before it was kept, Embargo's). */
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

const RECORD_ATTEMPTS = 4;

/**
 * SES's limit on one message, everything included after encoding: 40 MB with the SES API v2
 * ("Working with email attachments in SES": "up to the 40MB total message size limit";
 * https://docs.aws.amazon.com/ses/latest/dg/attachments.html, and "Service quotas in Amazon
 * SES"). Taken as decimal megabytes, the smaller reading.
 */
export const SES_MAX_MESSAGE_BYTES = 40_000_000;

/**
 * Writes the record of a mail that has gone out, trying again on the spot: if this invocation
 * failed now, its retry would send the mail a second time (SES has no idempotency key, so a
 * resend is a second mail). Only a failure that outlasts these attempts costs a duplicate.
 */
async function afterSend(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= RECORD_ATTEMPTS) throw err;
      await sleep(50 * 2 ** attempt * Math.random());
    }
  }
}

/**
 * Sends each logical mail at most once per idempotency key, and records it in the thread index
 * once sent, under Embargo's Message-ID and under the one SES gave it (the one replies cite). A
 * crash between the send and the record resends the mail instead of losing it; SES gives the
 * resend a new Message-ID, so receivers see two mails.
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
      const earlier = options.caseIsNew ? undefined : await this.threads.sent(messageIdHeader);
      if (earlier) {
        // A retry: the record of the id SES gave may be what the earlier attempt did not finish.
        if (earlier.deliveredAs)
          await this.threads.recordSent(
            messageIdHeader,
            caseId,
            earlier.sentAt,
            sentTo,
            earlier.deliveredAs,
          );
        return { sent: false, messageIdHeader: earlier.deliveredAs ?? messageIdHeader };
      }
      const deliveredAs = await this.send(message, messageIdHeader, options);
      const at = this.clock.now().toISOString();
      await afterSend(() =>
        this.threads.recordSent(messageIdHeader, caseId, at, sentTo, deliveredAs),
      );
      return { sent: true, messageIdHeader: deliveredAs };
    }

    const domain = splitAddress(message.from.address)?.domain ?? 'localhost';
    const entry = await this.outbox.claim(message.idempotencyKey, randomMessageId(domain));
    let { sentAt, deliveredAs } = entry;
    if (!sentAt) {
      deliveredAs = await this.send(message, entry.messageIdHeader, options);
      sentAt = this.clock.now().toISOString();
      const [at, as] = [sentAt, deliveredAs];
      // The thread index first: once the outbox says sent, a retry records nothing new.
      if (caseId)
        await afterSend(() =>
          this.threads.recordSent(entry.messageIdHeader, caseId, at, sentTo, as),
        );
      await afterSend(() => this.outbox.markSent(message.idempotencyKey, at, as));
    } else if (caseId) {
      // An entry from before the thread index recorded every case mail first.
      await this.threads.recordSent(entry.messageIdHeader, caseId, sentAt, sentTo, deliveredAs);
    }
    return { sent: !entry.sentAt, messageIdHeader: deliveredAs ?? entry.messageIdHeader };
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
    ].filter((id) => hasOwnMessageIdShape(id, domain) || isSesMessageIdHeader(id));
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

  /** Sends the mail; returns the Message-ID recipients see (SES replaces ours). */
  private async send(
    message: OutboundMessage,
    messageIdHeader: string,
    options: DispatchOptions,
  ): Promise<string> {
    await this.spendBudget(options.deferrable ? 'deferrable' : 'first');
    const rendered = await renderMime(message, messageIdHeader, this.clock.now());
    const raw = message.encryptTo
      ? await this.crypto.encryptAndSign(rendered, message.encryptTo, outerSubject(message))
      : rendered;
    // Checked after encryption and encoding, as SES counts it; the attachment budget
    // (oversized-attachments.ts) keeps mail well under it, so this only catches a mistake.
    if (raw.length > SES_MAX_MESSAGE_BYTES)
      throw new MailTooLargeError(message.to.address, raw.length, SES_MAX_MESSAGE_BYTES);
    const receipt = await this.transport.send({
      envelopeFrom: message.from.address,
      recipient: message.to.address,
      raw,
    });
    return receipt.messageIdHeader;
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
