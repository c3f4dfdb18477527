/**
 * SES replaces the Message-ID of every mail it sends with its own ("Amazon SES header fields",
 * Considerations: https://docs.aws.amazon.com/ses/latest/dg/header-fields.html), and returns
 * the new id from SendEmail as `MessageId` (SES API v2 reference, SendEmail response). The header
 * recipients see is that id at an amazonses.com host: `<MessageId@REGION.amazonses.com>`, and
 * `<MessageId@email.amazonses.com>` in us-east-1. AWS's documentation does not spell this form
 * out; it is what SES-sent mail carries (seen in delivered mail, and relied on by mail libraries,
 * e.g. FluentEmail pull request 324). So that a wrong guess of the host cannot break threading,
 * lookups compare SES ids by the id alone (`sentMailKey`).
 */
export function sesMessageIdHeader(messageId: string, region: string): string {
  const host = region === 'us-east-1' ? 'email.amazonses.com' : `${region}.amazonses.com`;
  return `<${messageId}@${host}>`;
}

const SES_ID = /^<([A-Za-z0-9-]{1,200})@(?:[a-z0-9-]+\.)*amazonses\.com>$/i;

/** Whether a Message-ID has the shape SES gives the mail it sends. */
export function isSesMessageIdHeader(messageIdHeader: string): boolean {
  return SES_ID.test(messageIdHeader.trim());
}

/**
 * The form under which the thread index keeps a Message-ID: SES's ids by the id alone (the
 * host part differs by region and is not documented), every other id as it is.
 */
export function sentMailKey(messageIdHeader: string): string {
  const ses = SES_ID.exec(messageIdHeader.trim());
  return ses ? `<${ses[1]!.toLowerCase()}@amazonses.com>` : messageIdHeader.trim();
}
