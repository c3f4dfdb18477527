import { sesMessageIdHeader as sesMessageIdHeaderOf } from '../outbound/ses-behaviour/ses-message-id';
import * as z from 'zod/mini';
import type { DeliveryProblem } from '../outbound/delivery-problems';
import { InvalidEventError } from '../errors';
import { validate } from '../validation/validate';

/**
 * SES event publishing (a configuration set's SNS event destination), as SNS hands it to Lambda:
 * each record's `Sns.Message` is the JSON of one SES event. Only the event types the configuration
 * set publishes are accepted; the fields relied on are checked, the others pass through.
 * Format: docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 */

const recipient = z.looseObject({
  emailAddress: z.string().check(z.minLength(1)),
  status: z.optional(z.string()),
  diagnosticCode: z.optional(z.string()),
});

const mail = z.looseObject({
  timestamp: z.iso.datetime({ offset: true }),
  /** SES's own id of the sent message (not its Message-ID header). */
  messageId: z.string().check(z.minLength(1)),
  destination: z.array(z.string()),
  headersTruncated: z.optional(z.boolean()),
  headers: z.optional(z.array(z.looseObject({ name: z.string(), value: z.string() }))),
  commonHeaders: z.optional(z.looseObject({ messageId: z.optional(z.string()) })),
});

const sesEvent = z.discriminatedUnion('eventType', [
  z.looseObject({
    eventType: z.literal('Bounce'),
    mail,
    bounce: z.looseObject({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: z.array(recipient).check(z.minLength(1)),
      timestamp: z.iso.datetime({ offset: true }),
      feedbackId: z.string().check(z.minLength(1)),
    }),
  }),
  z.looseObject({
    eventType: z.literal('Complaint'),
    mail,
    complaint: z.looseObject({
      complainedRecipients: z.array(recipient).check(z.minLength(1)),
      timestamp: z.iso.datetime({ offset: true }),
      feedbackId: z.string().check(z.minLength(1)),
      complaintFeedbackType: z.optional(z.string()),
      complaintSubType: z.nullish(z.string()),
    }),
  }),
  z.looseObject({
    eventType: z.literal('Reject'),
    mail,
    reject: z.looseObject({ reason: z.optional(z.string()) }),
  }),
  z.looseObject({
    eventType: z.literal('DeliveryDelay'),
    mail,
    deliveryDelay: z.looseObject({
      timestamp: z.iso.datetime({ offset: true }),
      delayType: z.optional(z.string()),
      delayedRecipients: z.array(recipient).check(z.minLength(1)),
    }),
  }),
]);

type SesEvent = z.infer<typeof sesEvent>;

const snsEvent = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns'),
        Sns: z.looseObject({ Message: z.string() }),
      }),
    )
    .check(z.minLength(1)),
});

const INVOKER = "the SNS topic of Embargo's SES configuration set";

function invalid(problems: string[]): InvalidEventError {
  return new InvalidEventError('SES notification', problems, INVOKER);
}

/** The Message-ID header of the sent mail: from the header list, else from commonHeaders. */
function messageIdHeaderOf(m: SesEvent['mail']): string | undefined {
  const header = m.headers?.find((h) => h.name.toLowerCase() === 'message-id')?.value;
  const value = (header ?? m.commonHeaders?.messageId)?.trim();
  if (!value) return undefined;
  // Kept with its angle brackets by Embargo's thread index; SES may report it without them.
  return value.startsWith('<') ? value : `<${value}>`;
}

function diagnostics(recipients: z.infer<typeof recipient>[]): string | undefined {
  const lines = recipients
    .filter((r) => r.diagnosticCode || r.status)
    .map((r) => `${r.emailAddress}: ${[r.status, r.diagnosticCode].filter(Boolean).join(' ')}`);
  return lines.length ? lines.join('; ') : undefined;
}

const utc = (timestamp: string) => new Date(timestamp).toISOString();

function toProblem(event: SesEvent): DeliveryProblem {
  const messageIdHeader = messageIdHeaderOf(event.mail);
  // Any amazonses.com host: the thread index compares SES's ids by the id alone.
  const sesMessageIdHeader = sesMessageIdHeaderOf(event.mail.messageId, 'us-east-1');
  switch (event.eventType) {
    case 'Bounce':
      return {
        kind: 'bounce',
        notificationId: `bounce:${event.bounce.feedbackId}`,
        recipients: event.bounce.bouncedRecipients.map((r) => r.emailAddress),
        messageIdHeader,
        sesMessageIdHeader,
        bounceType: event.bounce.bounceType,
        bounceSubType: event.bounce.bounceSubType,
        diagnostic: diagnostics(event.bounce.bouncedRecipients),
        at: utc(event.bounce.timestamp),
      };
    case 'Complaint':
      return {
        kind: 'complaint',
        notificationId: `complaint:${event.complaint.feedbackId}`,
        recipients: event.complaint.complainedRecipients.map((r) => r.emailAddress),
        messageIdHeader,
        sesMessageIdHeader,
        bounceType: event.complaint.complaintFeedbackType,
        ...(event.complaint.complaintSubType
          ? { bounceSubType: event.complaint.complaintSubType }
          : {}),
        at: utc(event.complaint.timestamp),
      };
    case 'Reject':
      return {
        kind: 'reject',
        // One rejection per sent message.
        notificationId: `reject:${event.mail.messageId}`,
        recipients: event.mail.destination,
        messageIdHeader,
        sesMessageIdHeader,
        diagnostic: event.reject.reason,
        at: utc(event.mail.timestamp),
      };
    case 'DeliveryDelay':
      return {
        kind: 'delay',
        // SES may report a delay more than once while it retries: the first one is enough.
        notificationId: `delay:${event.mail.messageId}`,
        recipients: event.deliveryDelay.delayedRecipients.map((r) => r.emailAddress),
        messageIdHeader,
        sesMessageIdHeader,
        bounceType: event.deliveryDelay.delayType,
        diagnostic: diagnostics(event.deliveryDelay.delayedRecipients),
        at: utc(event.deliveryDelay.timestamp),
      };
  }
}

/** Validates an SNS event of SES notifications and turns each into a delivery problem. */
export function parseSesNotificationEvent(event: unknown): DeliveryProblem[] {
  return sesNotificationRecords(event).map((record) => record());
}

/**
 * The records of an SNS event of SES notifications, each parsed on its own when called (throws
 * InvalidEventError), so that one record in a shape no retry changes leaves the others to be
 * handled. Throws InvalidEventError at once when the envelope itself is not an SNS event.
 */
export function sesNotificationRecords(event: unknown): (() => DeliveryProblem)[] {
  const envelope = validate(snsEvent, event);
  if (!envelope.success) throw invalid(envelope.problems);
  return envelope.data.Records.map(({ Sns }, index) => () => {
    const at = `Records.${index}.Sns.Message`;
    let message: unknown;
    try {
      message = JSON.parse(Sns.Message);
    } catch {
      throw invalid([`${at}: not JSON`]);
    }
    const parsed = validate(sesEvent, message, at);
    if (!parsed.success) throw invalid(parsed.problems);
    return toProblem(parsed.data);
  });
}
