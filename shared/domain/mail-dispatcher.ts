import { randomBytes } from 'node:crypto';
import type { Clock } from '../ports/clock';
import type { MailCrypto } from '../ports/mail-crypto';
import type { MailTransport } from '../ports/mail-transport';
import type { OutboxLedger } from '../ports/outbox-ledger';
import { renderMime } from '../mail/render-mime';
import type { OutboundMessage } from './outbound-message';
import { splitAddress } from './security-address';

export interface DispatchResult {
  /** False when an earlier attempt sent it already. */
  sent: boolean;
  messageIdHeader: string;
}

/**
 * Sends each logical mail at most once per idempotency key. The ledger entry is claimed before
 * sending and marked after, so a crash in between resends the same mail with the same
 * Message-ID (receivers can tell it is a repeat) instead of losing it.
 */
export class MailDispatcher {
  constructor(
    private readonly outbox: OutboxLedger,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    private readonly crypto: MailCrypto,
  ) {}

  async dispatch(message: OutboundMessage): Promise<DispatchResult> {
    const domain = splitAddress(message.from.address)?.domain ?? 'localhost';
    const proposed = `<${randomBytes(16).toString('hex')}@${domain}>`;
    const entry = await this.outbox.claim(message.idempotencyKey, proposed);
    if (entry.sentAt) return { sent: false, messageIdHeader: entry.messageIdHeader };
    const rendered = await renderMime(message, entry.messageIdHeader, this.clock.now());
    const raw = message.encryptTo
      ? await this.crypto.encryptAndSign(rendered, message.encryptTo)
      : rendered;
    await this.transport.send({
      envelopeFrom: message.from.address,
      recipient: message.to.address,
      raw,
    });
    await this.outbox.markSent(message.idempotencyKey, this.clock.now().toISOString());
    return { sent: true, messageIdHeader: entry.messageIdHeader };
  }
}
