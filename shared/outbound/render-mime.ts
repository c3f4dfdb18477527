import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutboundMessage } from './outbound-message';

/** Renders a message as RFC 5322 MIME, with the Message-ID the dispatcher chose for it. */
export async function renderMime(
  message: OutboundMessage,
  messageIdHeader: string,
  date: Date,
): Promise<Buffer> {
  const headers: Record<string, string> = {};
  if (message.autoSubmitted) headers['Auto-Submitted'] = message.autoSubmitted;
  if (message.caseId) headers['X-Embargo-Case'] = message.caseId;
  const composer = new MailComposer({
    from: message.from,
    to: message.to.name ? message.to : message.to.address,
    replyTo: message.replyTo,
    subject: message.subject,
    text: message.text,
    attachments: message.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
    // Nodemailer adds it as a text/calendar alternative with the method, as calendar clients expect.
    ...(message.calendar
      ? {
          icalEvent: {
            method: message.calendar.method,
            filename: 'invite.ics',
            content: message.calendar.content,
          },
        }
      : {}),
    messageId: messageIdHeader,
    inReplyTo: message.inReplyTo,
    references: message.references?.length ? message.references : undefined,
    date,
    headers,
  });
  return composer.compile().build();
}
