/**
 * SES event-publishing records as SNS delivers them to Lambda, after the examples in the SES
 * developer guide ("Examples of event data that Amazon SES publishes to Amazon SNS",
 * docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-examples.html), with the
 * Message-ID, recipient and ids of the mail under test filled in.
 */

export interface SentMail {
  /** The Message-ID header of the mail Embargo sent, with angle brackets. */
  messageIdHeader: string;
  recipient: string;
  /** SES's own id of the sent message. */
  sesMessageId?: string;
  from?: string;
}

const SES_MESSAGE_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';

/** The `mail` object every record carries: the original headers, never the body. */
export function sesMail(sent: SentMail) {
  const from = sent.from ?? 'example security team <security@example.org>';
  return {
    timestamp: '2026-11-25T09:00:02.012Z',
    source: 'security@example.org',
    sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.org',
    sendingAccountId: '123456789012',
    messageId: sent.sesMessageId ?? SES_MESSAGE_ID,
    destination: [sent.recipient],
    headersTruncated: false,
    headers: [
      { name: 'From', value: from },
      { name: 'To', value: sent.recipient },
      { name: 'Subject', value: '[SEC-2026-0001] Your report was received' },
      { name: 'Message-ID', value: sent.messageIdHeader },
      { name: 'MIME-Version', value: '1.0' },
      { name: 'Content-Type', value: 'text/plain; charset=utf-8' },
    ],
    commonHeaders: {
      from: [from],
      to: [sent.recipient],
      messageId: sent.messageIdHeader,
      subject: '[SEC-2026-0001] Your report was received',
    },
    tags: {
      'ses:configuration-set': ['embargo-example'],
      'ses:source-ip': ['192.0.2.0'],
      'ses:from-domain': ['example.org'],
      'ses:caller-identity': ['embargo-example-intake'],
    },
  };
}

export function bounceRecord(
  sent: SentMail,
  options: { feedbackId?: string; bounceType?: string; bounceSubType?: string } = {},
) {
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType: options.bounceType ?? 'Permanent',
      bounceSubType: options.bounceSubType ?? 'General',
      bouncedRecipients: [
        {
          emailAddress: sent.recipient,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: '2026-11-25T09:00:03.669Z',
      feedbackId:
        options.feedbackId ?? '01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
      reportingMTA: 'dsn; mta.example.com',
    },
    mail: sesMail(sent),
  };
}

export function complaintRecord(sent: SentMail, options: { feedbackId?: string } = {}) {
  return {
    eventType: 'Complaint',
    complaint: {
      complainedRecipients: [{ emailAddress: sent.recipient }],
      timestamp: '2026-11-25T10:15:00.000Z',
      feedbackId:
        options.feedbackId ?? '0100015ec7c9f9a4-86a3bb3e-1fa8-4d19-b1b1-f2fb9c0e6b2d-000000',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
      complaintFeedbackType: 'abuse',
      arrivalDate: '2026-11-25T10:14:59.000Z',
    },
    mail: sesMail(sent),
  };
}

export function rejectRecord(sent: SentMail) {
  return { eventType: 'Reject', reject: { reason: 'Bad content' }, mail: sesMail(sent) };
}

export function deliveryDelayRecord(sent: SentMail) {
  return {
    eventType: 'DeliveryDelay',
    mail: sesMail(sent),
    deliveryDelay: {
      timestamp: '2026-11-25T09:15:40.641Z',
      delayType: 'TransientCommunicationFailure',
      expirationTime: '2026-11-26T09:00:02.012Z',
      delayedRecipients: [
        {
          emailAddress: sent.recipient,
          status: '4.4.1',
          diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host',
        },
      ],
    },
  };
}

/** The Lambda event of an SNS subscription delivering these SES records, one per SNS record. */
export function snsEvent(...records: unknown[]) {
  const topicArn = 'arn:aws:sns:eu-west-1:123456789012:Embargo-example-SendingTopic';
  return {
    Records: records.map((record, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${topicArn}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
      Sns: {
        Type: 'Notification',
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${i}`,
        TopicArn: topicArn,
        Subject: null,
        Message: JSON.stringify(record),
        Timestamp: '2026-11-25T09:00:04.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-EXAMPLE.pem',
        UnsubscribeUrl: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${topicArn}:EXAMPLE`,
        MessageAttributes: {},
      },
    })),
  };
}
