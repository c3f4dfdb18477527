import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { MailTransport, RawOutboundMail } from '../../outbound/mail-transport';

export interface SesMailTransportOptions {
  /**
   * The SES configuration set every mail is sent with: it publishes bounces and complaints to
   * the stack's sending-events topic. Unset, SES applies the identity's default set, if any.
   */
  configurationSetName?: string;
}

/** Sends rendered MIME through SES, one envelope recipient per call. */
export class SesMailTransport implements MailTransport {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesMailTransportOptions = {},
  ) {}

  async send(mail: RawOutboundMail): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: mail.envelopeFrom,
        Destination: { ToAddresses: [mail.recipient] },
        Content: { Raw: { Data: mail.raw } },
        ...(this.options.configurationSetName
          ? { ConfigurationSetName: this.options.configurationSetName }
          : {}),
      }),
    );
  }
}
