import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  MailTransport,
  RawOutboundMail,
  TransportReceipt,
} from '../../outbound/mail-transport';
import { sesMessageIdHeader } from '../../outbound/ses-behaviour/ses-message-id';
import { SendPacer } from '../../outbound/ses-behaviour/send-pacer';

export interface MaildirTransportOptions {
  /** The region whose SES host the Message-IDs name, as SES's do. */
  region?: string;
  /** Sends a second, as SES's maximum send rate; unset or 0 paces nothing. */
  maxSendRate?: number;
}

/**
 * Local mode's stand-in for SES sending: delivers outbound mail into a Maildir, one file per
 * message and recipient, with a `Delivered-To:` header naming the envelope recipient. As SES
 * does ("Amazon SES header fields", Considerations), it replaces the mail's `Message-ID` with
 * one of its own, in SES's form, and its `Date` with the time it took the mail, and returns that
 * id; like SES it paces to a maximum send rate. A mail sent twice arrives twice, as with SES:
 * only the dispatcher's records keep a retry from sending again.
 */
export class MaildirMailTransport implements MailTransport {
  private readonly pacer: SendPacer;

  constructor(
    private readonly root: string,
    private readonly options: MaildirTransportOptions = {},
  ) {
    this.pacer = new SendPacer(() => Promise.resolve(options.maxSendRate ?? 0));
  }

  async send(mail: RawOutboundMail): Promise<TransportReceipt> {
    await this.pacer.wait();
    await Promise.all(
      ['tmp', 'new', 'cur'].map((d) => mkdir(join(this.root, d), { recursive: true })),
    );
    const now = new Date();
    // SES's MessageId: a hex time, a UUID and a counter (as SES's ids look).
    const sesId = `${now.getTime().toString(16).padStart(16, '0')}-${randomUUID()}-000000`;
    const messageIdHeader = sesMessageIdHeader(sesId, this.options.region ?? 'us-east-1');
    const file = `${createHash('sha256').update(messageIdHeader).digest('hex').slice(0, 32)}.embargo`;
    const tmp = join(this.root, 'tmp', file);
    await writeFile(
      tmp,
      Buffer.concat([
        Buffer.from(`Delivered-To: ${mail.recipient}\r\n`),
        withSesHeaders(mail.raw, messageIdHeader, now),
      ]),
    );
    // Maildir's rule: write in tmp/, then rename into new/, so readers never see half a message.
    await rename(tmp, join(this.root, 'new', file));
    return { messageIdHeader };
  }
}

/** RFC 5322 date-time in UTC, as SES writes it. */
function rfc5322Utc(at: Date): string {
  const [day, , month, year, time] = at.toUTCString().replace(',', '').split(' ');
  return `${day}, ${at.getUTCDate()} ${month} ${year} ${time} +0000`;
}

/** The mail with its top-level Message-ID and Date (folded lines included) replaced. */
function withSesHeaders(raw: Buffer, messageIdHeader: string, at: Date): Buffer {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end);
  const kept = head
    .split(/\r?\n(?![ \t])/)
    .filter((field) => !/^(message-id|date)\s*:/i.test(field));
  const fields = [`Date: ${rfc5322Utc(at)}`, `Message-ID: ${messageIdHeader}`, ...kept];
  return Buffer.from(fields.join('\r\n') + body, 'latin1');
}
