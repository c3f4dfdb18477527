import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailTransport, RawOutboundMail } from '../../ports/mail-transport';

/** Sends rendered MIME through SES, one envelope recipient per call. */
export class SesMailTransport implements MailTransport {
  constructor(private readonly client: SESv2Client) {}

  async send(mail: RawOutboundMail): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: mail.envelopeFrom,
        Destination: { ToAddresses: [mail.recipient] },
        Content: { Raw: { Data: mail.raw } },
      }),
    );
  }
}
