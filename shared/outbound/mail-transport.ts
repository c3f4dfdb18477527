/** A rendered message for one envelope recipient. */
export interface RawOutboundMail {
  envelopeFrom: string;
  recipient: string;
  raw: Buffer;
}

/** What the transport did with a mail. */
export interface TransportReceipt {
  /**
   * The Message-ID recipients see, with its angle brackets. SES replaces the one in the rendered
   * mail with its own (outbound/ses-behaviour/ses-message-id.ts), and so does local mode's stand-in.
   */
  messageIdHeader: string;
}

/** Sends rendered mail (SES in AWS, a Maildir locally). */
export interface MailTransport {
  send(mail: RawOutboundMail): Promise<TransportReceipt>;
}
