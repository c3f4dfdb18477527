import { GetAccountCommand, SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type {
  MailTransport,
  RawOutboundMail,
  TransportReceipt,
} from '../../outbound/mail-transport';
import { sesMessageIdHeader } from '../../outbound/ses-behaviour/ses-message-id';
import { SendPacer } from '../../outbound/ses-behaviour/send-pacer';
import type { Logger } from '../../logging/logger';
import { errorName } from '../../errors';

export interface SesMailTransportOptions {
  /**
   * The SES configuration set every mail is sent with: it publishes bounces and complaints to
   * the stack's sending-events topic. Unset, SES applies the identity's default set, if any.
   */
  configurationSetName?: string;
  /** Told when the send rate cannot be read and the sandbox's rate is used instead. */
  log?: Logger;
  /**
   * How many containers may send at once, when the stack bounds it (the reserved concurrency of
   * every function that sends): each paces at its share of the account's rate, so that together
   * they stay under it. Unset, each container paces at the whole rate (docs/architecture.md,
   * Send rate, gives the bound).
   */
  sendingContainers?: number;
}

/** The lowest maximum send rate an account has (the sandbox's): safe when the real one is unknown. */
const SANDBOX_SEND_RATE = 1;

/**
 * Sends rendered MIME through SES, one envelope recipient per call, paced to the account's
 * maximum send rate, and returns the Message-ID SES gave the mail (recipients see that one, not
 * ours: outbound/ses-behaviour/ses-message-id.ts).
 */
export class SesMailTransport implements MailTransport {
  // GetAccount's SendQuota.MaxSendRate: "the maximum number of emails that you can send per
  // second in the current AWS Region" (SES API v2 reference, SendQuota). Read once per container.
  private readonly pacer = new SendPacer(
    async () => (await this.accountRate()) / (this.options.sendingContainers ?? 1),
  );

  private async accountRate(): Promise<number> {
    try {
      const account = await this.client.send(new GetAccountCommand({}));
      return account.SendQuota?.MaxSendRate ?? SANDBOX_SEND_RATE;
    } catch (err) {
      // Sending goes on at the slowest rate rather than not at all (an emulator without
      // GetAccount, a policy without ses:GetAccount).
      this.options.log?.warn('outbound.send-rate-unknown', {
        error: errorName(err),
        pacedAt: SANDBOX_SEND_RATE,
      });
      return SANDBOX_SEND_RATE;
    }
  }

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
