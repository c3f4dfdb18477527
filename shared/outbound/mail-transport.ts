/** A rendered message for one envelope recipient. */
export interface RawOutboundMail {
  envelopeFrom: string;
  recipient: string;
  raw: Buffer;
}

/** Sends rendered mail (SES in AWS, a Maildir locally). */
export interface MailTransport {
  send(mail: RawOutboundMail): Promise<void>;
}
