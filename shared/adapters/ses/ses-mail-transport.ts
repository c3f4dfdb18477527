import { GetAccountCommand, SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type {
  MailTransport,
  RawOutboundMail,
  TransportReceipt,
} from '../../outbound/mail-transport';
import { sesMessageIdHeader } from '../../outbound/ses-message-id';
import { SendPacer } from '../../outbound/send-pacer';

export interface SesMailTransportOptions {
  /**
   * The SES configuration set every mail is sent with: it publishes bounces and complaints to
   * the stack's sending-events topic. Unset, SES applies the identity's default set, if any.
   */
  configurationSetName?: string;
}

/**
 * Sends rendered MIME through SES, one envelope recipient per call, paced to the account's
 * maximum send rate, and returns the Message-ID SES gave the mail (recipients see that one, not
 * ours: outbound/ses-message-id.ts).
 */
export class SesMailTransport implements MailTransport {
  // GetAccount's SendQuota.MaxSendRate: "the maximum number of emails that you can send per
  // second in the current AWS Region" (SES API v2 reference, SendQuota). Read once per container.
  private readonly pacer = new SendPacer(async () => {
    const account = await this.client.send(new GetAccountCommand({}));
    return account.SendQuota?.MaxSendRate ?? 1;
  });

  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesMailTransportOptions = {},
  ) {}

  async send(mail: RawOutboundMail): Promise<TransportReceipt> {
    await this.pacer.wait();
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: mail.envelopeFrom,
        Destination: { ToAddresses: [mail.recipient] },
        Content: { Raw: { Data: mail.raw } },
        ...(this.options.configurationSetName
          ? { ConfigurationSetName: this.options.configurationSetName }
          : {}),
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the mail but returned no MessageId');
    return {
      messageIdHeader: sesMessageIdHeader(result.MessageId, await this.client.config.region()),
    };
  }
}
