import * as z from 'zod/mini';
import { InvalidEventError } from '../errors';
import type { MailDelivery, Verdict } from '../mail/inbound-mail';
import { validate } from '../validation/validate';

const verdict = z.optional(
  z.object({ status: z.enum(['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED']) }),
);

/** The part of SES's receipt-rule Lambda event that intake relies on; other fields pass through. */
export const sesReceiptEventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:ses'),
        ses: z.object({
          mail: z.looseObject({
            timestamp: z.iso.datetime(),
            source: z.string(),
            messageId: z
              .string()
              .check(z.regex(/^[A-Za-z0-9._-]{1,200}$/, 'not an SES message id')),
            destination: z.array(z.string()),
          }),
          receipt: z.looseObject({
            recipients: z.array(z.string()).check(z.minLength(1)),
            spamVerdict: verdict,
            virusVerdict: verdict,
            spfVerdict: verdict,
            dkimVerdict: verdict,
            dmarcVerdict: verdict,
            action: z.optional(
              z.looseObject({ type: z.string(), functionArn: z.optional(z.string()) }),
            ),
          }),
        }),
      }),
    )
    .check(z.minLength(1)),
});

export type SesReceiptEvent = z.infer<typeof sesReceiptEventSchema>;

/** Validates an SES event and turns each record into a delivery; anything else is refused. */
export function parseSesReceiptEvent(event: unknown, invokedFunctionArn?: string): MailDelivery[] {
  const parsed = validate(sesReceiptEventSchema, event);
  if (!parsed.success) {
    throw new InvalidEventError('SES receipt', parsed.problems, 'the SES receipt rule');
  }
  if (invokedFunctionArn) assertFromReceiptRule(parsed.data, invokedFunctionArn);
  return parsed.data.Records.map(({ ses }) => ({
    messageId: ses.mail.messageId,
    receivedAt: new Date(ses.mail.timestamp),
    envelopeFrom: ses.mail.source,
    recipients: ses.receipt.recipients,
    verdicts: {
      spam: (ses.receipt.spamVerdict?.status ?? 'PASS') as Verdict,
      virus: (ses.receipt.virusVerdict?.status ?? 'PASS') as Verdict,
      // Absent authentication verdicts prove nothing, so they never count as PASS.
      dkim: (ses.receipt.dkimVerdict?.status ?? 'GRAY') as Verdict,
      dmarc: (ses.receipt.dmarcVerdict?.status ?? 'GRAY') as Verdict,
    },
  }));
}

const unqualified = (arn: string) => arn.split(':').slice(0, 7).join(':');

/**
 * Refuses an event that the receipt rule's Lambda action did not make for this very function
 * (for example one invoked by hand or by another source with a crafted payload).
 */
export function assertFromReceiptRule(event: SesReceiptEvent, invokedFunctionArn: string): void {
  const problems = event.Records.flatMap(({ ses }, i) => {
    const action = ses.receipt.action;
    if (action?.type !== 'Lambda') return [`Records.${i}: not a receipt rule Lambda action`];
    if (
      !action.functionArn ||
      unqualified(action.functionArn) !== unqualified(invokedFunctionArn)
    ) {
      return [`Records.${i}: the receipt rule names another function`];
    }
    return [];
  });
  if (problems.length) throw new InvalidEventError('SES receipt', problems, 'the SES receipt rule');
}

/**
 * The event SES would send for a stored message. The local SMTP gateway uses it so intake sees
 * exactly what it sees in AWS; verdicts are left out, as local mode has no scanner.
 */
export function buildSesReceiptEvent(input: {
  messageId: string;
  receivedAt: Date;
  envelopeFrom: string;
  recipients: string[];
  functionArn: string;
}): SesReceiptEvent {
  const timestamp = input.receivedAt.toISOString();
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        ses: {
          mail: {
            timestamp,
            source: input.envelopeFrom,
            messageId: input.messageId,
            destination: input.recipients,
            headersTruncated: false,
            headers: [],
            commonHeaders: { returnPath: input.envelopeFrom },
          },
          receipt: {
            timestamp,
            processingTimeMillis: 0,
            recipients: input.recipients,
            action: { type: 'Lambda', functionArn: input.functionArn, invocationType: 'Event' },
          },
        },
      },
    ],
  };
}
