import { InvalidEventError } from '../../shared/errors';
import { parseSesNotificationEvent } from '../../shared/events/ses-notification-event';
import {
  bounceRecord,
  complaintRecord,
  deliveryDelayRecord,
  rejectRecord,
  sesMail,
  snsEvent,
} from '../support/ses-notifications';

const sent = { messageIdHeader: '<0f3c9e@example.org>', recipient: 'alice@example.net' };
const SES_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';

describe('SES notifications delivered by SNS', () => {
  test('a bounce: recipients, type, diagnostic and the Message-ID of the sent mail', () => {
    expect(parseSesNotificationEvent(snsEvent(bounceRecord(sent)))).toEqual([
      {
        kind: 'bounce',
        notificationId: 'bounce:01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000',
        recipients: ['alice@example.net'],
        messageIdHeader: '<0f3c9e@example.org>',
        sesMessageIdHeader: `<${SES_ID}@email.amazonses.com>`,
        bounceType: 'Permanent',
        bounceSubType: 'General',
        diagnostic: 'alice@example.net: 5.1.1 smtp; 550 5.1.1 user unknown',
        at: '2026-11-25T09:00:03.669Z',
      },
    ]);
  });

  test('a complaint, with its feedback type', () => {
    expect(parseSesNotificationEvent(snsEvent(complaintRecord(sent)))).toEqual([
      {
        kind: 'complaint',
        notificationId: 'complaint:0100015ec7c9f9a4-86a3bb3e-1fa8-4d19-b1b1-f2fb9c0e6b2d-000000',
        recipients: ['alice@example.net'],
        messageIdHeader: '<0f3c9e@example.org>',
        sesMessageIdHeader: `<${SES_ID}@email.amazonses.com>`,
        bounceType: 'abuse',
        at: '2026-11-25T10:15:00.000Z',
      },
    ]);
  });

  test('a rejection (one per sent message) and a delivery delay (the first per message counts)', () => {
    expect(
      parseSesNotificationEvent(snsEvent(rejectRecord(sent), deliveryDelayRecord(sent))),
    ).toEqual([
      {
        kind: 'reject',
        notificationId: `reject:${SES_ID}`,
        recipients: ['alice@example.net'],
        messageIdHeader: '<0f3c9e@example.org>',
        sesMessageIdHeader: `<${SES_ID}@email.amazonses.com>`,
        diagnostic: 'Bad content',
        at: '2026-11-25T09:00:02.012Z',
      },
      {
        kind: 'delay',
        notificationId: `delay:${SES_ID}`,
        recipients: ['alice@example.net'],
        messageIdHeader: '<0f3c9e@example.org>',
        sesMessageIdHeader: `<${SES_ID}@email.amazonses.com>`,
        bounceType: 'TransientCommunicationFailure',
        diagnostic: 'alice@example.net: 4.4.1 smtp; 421 4.4.1 Unable to connect to remote host',
        at: '2026-11-25T09:15:40.641Z',
      },
    ]);
  });

  test('takes the Message-ID from commonHeaders when the header list lacks it, and adds angle brackets', () => {
    const record = bounceRecord(sent);
    const mail = {
      ...sesMail(sent),
      headers: sesMail(sent).headers.filter((h) => h.name !== 'Message-ID'),
      commonHeaders: { ...sesMail(sent).commonHeaders, messageId: '0f3c9e@example.org' },
    };
    const [problem] = parseSesNotificationEvent(snsEvent({ ...record, mail }));
    expect(problem!.messageIdHeader).toBe('<0f3c9e@example.org>');
  });

  test('a mail without any Message-ID gives a problem without one', () => {
    const record = bounceRecord(sent);
    const { commonHeaders: _c, headers: _h, ...mail } = sesMail(sent);
    const [problem] = parseSesNotificationEvent(snsEvent({ ...record, mail }));
    expect(problem!.messageIdHeader).toBeUndefined();
  });

  test('normalises timestamps with an offset to UTC', () => {
    const record = complaintRecord(sent);
    const [problem] = parseSesNotificationEvent(
      snsEvent({
        ...record,
        complaint: { ...record.complaint, timestamp: '2026-11-25T12:00:00+02:00' },
      }),
    );
    expect(problem!.at).toBe('2026-11-25T10:00:00.000Z');
  });

  test.each([
    ['no records', { Records: [] }, /Records/],
    [
      'not from SNS',
      { Records: [{ EventSource: 'aws:sqs', Sns: { Message: '{}' } }] },
      /EventSource/,
    ],
    [
      'a message that is not JSON',
      { Records: [{ EventSource: 'aws:sns', Sns: { Message: '{' } }] },
      /not JSON/,
    ],
    [
      'an event type the set does not publish',
      snsEvent({ ...bounceRecord(sent), eventType: 'Open' }),
      /eventType/,
    ],
    [
      'a bounce without recipients',
      snsEvent({
        ...bounceRecord(sent),
        bounce: { ...bounceRecord(sent).bounce, bouncedRecipients: [] },
      }),
      /bouncedRecipients/,
    ],
    [
      'a bad timestamp',
      snsEvent({
        ...bounceRecord(sent),
        bounce: { ...bounceRecord(sent).bounce, timestamp: 'yesterday' },
      }),
      /timestamp/,
    ],
    [
      'identity feedback (notificationType) instead of event publishing',
      snsEvent({ notificationType: 'Bounce', mail: sesMail(sent) }),
      /eventType/,
    ],
  ])('refuses %s with InvalidEventError', (_label, event, detail) => {
    expect(() => parseSesNotificationEvent(event)).toThrow(InvalidEventError);
    expect(() => parseSesNotificationEvent(event)).toThrow(detail);
  });
});
