import { InvalidEventError } from '../../shared/errors';
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

  it('refuses, in AWS, an event the receipt rule did not make for this function', () => {
    const self = 'arn:aws:lambda:eu-west-1:123456789012:function:intake';
    expect(parseSesReceiptEvent(base, self)).toHaveLength(1);
    expect(parseSesReceiptEvent(base, `${self}:$LATEST`)).toHaveLength(1);
    expect(() =>
      parseSesReceiptEvent(base, 'arn:aws:lambda:eu-west-1:123456789012:function:other'),
    ).toThrow(/the receipt rule names another function/);
    const handMade = structuredClone(base);
    delete handMade.Records[0]!.ses.receipt.action;
    expect(() => parseSesReceiptEvent(handMade, self)).toThrow(/not a receipt rule Lambda action/);
  });

  it('refuses other event sources and empty events', () => {
    expect(() => parseSesReceiptEvent({ Records: [] })).toThrow(InvalidEventError);
    expect(() => parseSesReceiptEvent({ Records: [{ eventSource: 'aws:sns' }] })).toThrow(
      /eventSource/,
    );
  });
});
