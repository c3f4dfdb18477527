import { awsIntakeServices, awsSdkClients } from '../../functions/aws-runtime';
import { handler as intakeHandler } from '../../functions/intake';
import { handler as sendingEventsHandler } from '../../functions/sending-events';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { benchConfig, fixture } from '../../bench/support/bench-support';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { AwsRequestCounter } from '../support/aws-request-counter';
import { awsEvent, startAwsTier, type AwsTier } from '../support/aws-tier';
import { motoSkipReason } from '../support/moto-server';

/**
 * The AWS composition (functions/aws-runtime.ts, every AWS adapter) against moto_server, invoked
 * with the receipt event AWS documents for an SES Lambda action (test/fixtures/aws-events).
 */
const skip = motoSkipReason();
const describeInAws = skip ? describe.skip : describe;
if (skip) console.warn(skip);

/** The report the documented event describes: its headers, and a body. */
const REPORT = [
  'Return-Path: <janedoe@example.com>',
  'MIME-Version: 1.0',
  'From: Jane Doe <janedoe@example.com>',
  'Date: Wed, 7 Oct 2015 12:34:56 -0700',
  'Message-ID: <0123456789example.com>',
  'Subject: Test Subject',
  'To: johndoe@example.com',
  'Content-Type: text/plain; charset=UTF-8',
  '',
  'The parser overflows on a 70,000-byte header line; a crafted request crashes the server.',
  '',
].join('\r\n');

/** The event's recipient is the security address; the bench's three maintainers get copies. */
const config: EmbargoConfig = { ...benchConfig(), securityAddress: 'johndoe@example.com' };
const event = awsEvent('ses-receipt-lambda-event.json') as {
  Records: { ses: { mail: { messageId: string }; receipt: { action: { functionArn: string } } } }[];
};
/** The SES message id in the SES guide's event examples, replaced by that of the mail under test. */
const EXAMPLE_SES_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';
const sesMessageId = event.Records[0]!.ses.mail.messageId;
const context = {
  getRemainingTimeInMillis: () => 60_000,
  invokedFunctionArn: event.Records[0]!.ses.receipt.action.functionArn,
};

describeInAws('intake in AWS (moto_server)', () => {
  let tier: AwsTier;
  const counter = new AwsRequestCounter();

  beforeAll(async () => {
    tier = await startAwsTier(config, fixture('project-secret.asc'));
    await tier.putRawMail(sesMessageId, REPORT);
  });
  afterAll(() => tier?.stop());

  it('opens a case from the documented receipt event, reading the raw mail SES stored in S3', async () => {
    awsIntakeServices(); // built before counting, as in a warm container
    counter.attach(awsSdkClients());

    const outcomes = await intakeHandler(event, context);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ kind: 'case' });

    const sends = counter.requests.filter((r) => r === 'SESv2 SendEmail');
    // The acknowledgment to the reporter and a copy to each of the three maintainers.
    expect(sends).toHaveLength(4);
    expect(counter.requests).toContain('S3 GetObject');
    // What a report costs in AWS (#24; `npm run bench -- --only aws` reports it): ceilings, so
    // that a change adding requests shows here. A cold container also reads the project key and
    // the account's send rate (once each per container), which are not counted here.
    const perContainer = ['SESv2 GetAccount', 'SecretsManager GetSecretValue'];
    const perReport = counter.requests.filter((r) => !perContainer.includes(r));
    const ack = perReport.indexOf('SESv2 SendEmail');
    // Taking the delivery, the S3 read, one transaction for the admission counters with the
    // duplicate fingerprint, the sequence, one transaction for the id reservation with the case,
    // and the sending budget: 6 (9 before the transactions).
    expect(perReport.slice(0, ack)).toEqual([
      'DynamoDB UpdateItem',
      'S3 GetObject',
      'DynamoDB TransactWriteItems',
      'DynamoDB UpdateItem',
      'DynamoDB TransactWriteItems',
      'DynamoDB UpdateItem',
    ]);
    // 17 DynamoDB requests before #24; the sending budget now counts the report's mails at once
    // (14); one UpdateItem after the acknowledgment records the sender's history (#28), and one
    // Query of the case list finds duplicates (#28): 16; the two transactions save three: 13.
    expect(counter.requests.filter((r) => r.startsWith('DynamoDB')).length).toBeLessThanOrEqual(13);
  });

  it('does nothing twice when Lambda delivers the same event again', async () => {
    const before = counter.mark();
    const outcomes = await intakeHandler(event, context);
    expect(outcomes[0]).toMatchObject({ kind: 'case' });
    const again = counter.requests.slice(before);
    expect(again.filter((r) => r.startsWith('SESv2'))).toEqual([]);
  });

  /** A documented SES event record about one sent mail, as SNS hands it to the function. */
  function snsNotification(fixtureName: string, mail: { sesMessageId: string; recipient: string }) {
    const record = JSON.stringify(awsEvent(fixtureName))
      .replaceAll(EXAMPLE_SES_ID, mail.sesMessageId)
      .replaceAll('recipient@example.com', mail.recipient);
    const envelope = awsEvent('sns-lambda-event.json') as {
      Records: { Sns: { Message: string } }[];
    };
    envelope.Records[0]!.Sns.Message = record;
    return envelope;
  }

  /*
   * Found by this tier: SES reports a sent mail by its own id (the documented record's
   * commonHeaders.messageId is SES's id, since SES replaced our Message-ID), so the thread index
   * must know that id for a bounce to find its case.
   */
  it('records a bounce of a maintainer copy from the documented SNS notification', async () => {
    const copy = counter.sent.find((m) => m.recipient === 'mia@example.org')!;
    expect(copy.sesMessageId).not.toBe('');
    const outcomes = await sendingEventsHandler(snsNotification('ses-event-bounce.json', copy));
    expect(outcomes).toEqual([expect.objectContaining({ kind: 'recorded' })]);
  });

  it('refuses a Delivery record, which the configuration set does not publish, on the first attempt', async () => {
    const copy = counter.sent.find((m) => m.recipient === 'mia@example.org')!;
    expect(await sendingEventsHandler(snsNotification('ses-event-delivery.json', copy))).toEqual([
      expect.objectContaining({
        kind: 'refused',
        code: 'EVENT_INVALID',
        reason: expect.stringMatching(/SES notification/),
      }),
    ]);
  });

  it('leaves the raw mail where SES put it', async () => {
    const object = await tier.clients.s3.send(
      new GetObjectCommand({
        Bucket: tier.env.EMBARGO_RAW_MAIL_BUCKET,
        Key: `inbound/${sesMessageId}`,
      }),
    );
    expect(await object.Body?.transformToString()).toBe(REPORT);
  });
});
