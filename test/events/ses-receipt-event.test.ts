import { InvalidEventError } from '../../shared/domain/errors';
import { buildSesReceiptEvent, parseSesReceiptEvent } from '../../shared/events/ses-receipt-event';

describe('SES receipt events', () => {
  const base = buildSesReceiptEvent({
    messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
    receivedAt: new Date('2026-11-25T09:00:00Z'),
    envelopeFrom: 'alice@example.net',
    recipients: ['security@example.org'],
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:intake',
  });

  it('turns a record into a delivery: absent spam/virus verdicts pass, absent DKIM/DMARC prove nothing', () => {
    expect(parseSesReceiptEvent(base)).toEqual([
      {
        messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
        receivedAt: new Date('2026-11-25T09:00:00Z'),
        envelopeFrom: 'alice@example.net',
        recipients: ['security@example.org'],
        verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
      },
    ]);
  });

  it('reads SES verdicts', () => {
    const event = structuredClone(base);
    event.Records[0]!.ses.receipt.virusVerdict = { status: 'FAIL' };
    expect(parseSesReceiptEvent(event)[0]?.verdicts.virus).toBe('FAIL');
  });

  it('refuses a message id that could escape the raw-mail prefix', () => {
    const event = structuredClone(base);
    event.Records[0]!.ses.mail.messageId = '../../other-bucket-key';
    expect(() => parseSesReceiptEvent(event)).toThrow(InvalidEventError);
  });

  it('refuses other event sources and empty events', () => {
    expect(() => parseSesReceiptEvent({ Records: [] })).toThrow(InvalidEventError);
    expect(() => parseSesReceiptEvent({ Records: [{ eventSource: 'aws:sns' }] })).toThrow(
      /eventSource/,
    );
  });
});
