import type { InboundOutcome } from '../../shared/intake/inbound-ledger';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';

/**
 * What SES does with one message, by hand: stores the raw message, then hands intake the
 * delivery. `dmarc` is SES's verdict on the From domain (local mode has none: GRAY).
 */
export async function deliver(
  services: EmbargoServices,
  mail: { messageId: string; raw: string; from: string; to: string; dmarc?: 'FAIL' | 'GRAY' },
): Promise<InboundOutcome> {
  await services.rawMail.put(mail.messageId, Buffer.from(mail.raw));
  const delivery: MailDelivery = {
    messageId: mail.messageId,
    receivedAt: new Date(),
    envelopeFrom: mail.from,
    recipients: [mail.to],
    verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: mail.dmarc ?? 'GRAY' },
  };
  return services.intake.receive(delivery);
}
