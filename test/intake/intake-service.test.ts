import { randomBytes } from 'node:crypto';
import { intakeHandler } from '../../functions/intake';
import { MaildirMailTransport } from '../../shared/adapters/maildir/maildir-mail-transport';
import type { CaseId } from '../../shared/cases/case-id';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { RawMailMissingError } from '../../shared/errors';
import { buildSesReceiptEvent } from '../../shared/events/ses-receipt-event';
import type {
  MailTransport,
  RawOutboundMail,
  TransportReceipt,
} from '../../shared/outbound/mail-transport';
import { readMaildir } from '../support/maildir';
import {
  memoryLogger,
  pgpFixture,
  startStores,
  testConfig,
  type Stores,
} from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';

/** A transport that fails its first `failures` sends: a fault no emulator produces on demand. */
class FlakyTransport implements MailTransport {
  sent: RawOutboundMail[] = [];
  constructor(
    private readonly inner: MailTransport,
    private failures: number,
  ) {}
  async send(mail: RawOutboundMail): Promise<TransportReceipt> {
    if (this.failures-- > 0) throw new Error('simulated SES outage');
    this.sent.push(mail);
    return this.inner.send(mail);
  }
}

describe('intake against real local DynamoDB and S3 servers', () => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await startStores();
  });
  afterEach(async () => {
    await stores.stop();
  });

  async function deliver(
    raw: string,
    overrides: Partial<MailDelivery> = {},
  ): Promise<MailDelivery> {
    const delivery: MailDelivery = {
      messageId: randomBytes(10).toString('hex'),
      receivedAt: new Date('2026-11-25T09:00:00Z'),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
      ...overrides,
    };
    await stores.services().rawMail.put(delivery.messageId, Buffer.from(raw));
    return delivery;
  }

  it('retries after a failed send without a second case or a second acknowledgment', async () => {
    const transport = new FlakyTransport(new MaildirMailTransport(stores.outboxDir), 1);
    const services = stores.services({ transport });
    const delivery = await deliver(rawMessage({ from: 'alice@example.net' }));

    await expect(services.intake.receive(delivery)).rejects.toThrow('simulated SES outage');
    const afterFailure = await services.cases.list();
    expect(afterFailure).toHaveLength(1);
    expect(afterFailure[0]?.acknowledgedAt).toBeUndefined();

    const outcome = await services.intake.receive(delivery);
    await services.intake.receive(delivery);
    expect(outcome).toEqual({ kind: 'case', caseId: 'SEC-2026-0001' });
    expect(await services.cases.list()).toHaveLength(1);
    expect(await readMaildir(stores.outboxDir)).toHaveLength(1);
    const record = await services.cases.get('SEC-2026-0001' as CaseId);
    expect(record?.history.map((e) => e.type)).toEqual(['opened', 'acknowledged', 'forwarded']);
  });

  it('resends the mail when a crash came between sending and recording it, and SES delivers it again', async () => {
    const transport = new FlakyTransport(new MaildirMailTransport(stores.outboxDir), 0);
    const services = stores.services({ transport });
    const delivery = await deliver(rawMessage({ from: 'alice@example.net' }));
    await services.intake.receive(delivery);
    // Forget that the mail was sent and that the message was handled, as a crash would. The
    // record that the mail went out is its thread index entry, by Message-ID.
    const { DeleteCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const sentId = /^Message-ID: (.+)$/m.exec(transport.sent[0]!.raw.toString())?.[1]?.trim();
    await stores.dynamoClient.send(
      new DeleteCommand({
        TableName: 'embargo-cases',
        Key: { pk: `SENT#${sentId}`, sk: 'SENT' },
      }),
    );
    await stores.dynamoClient.send(
      new UpdateCommand({
        TableName: 'embargo-cases',
        Key: { pk: `INBOUND#${delivery.messageId}`, sk: 'INBOUND' },
        UpdateExpression: 'REMOVE outcome',
      }),
    );
    await stores.dynamoClient.send(
      new UpdateCommand({
        TableName: 'embargo-cases',
        Key: { pk: 'CASE#SEC-2026-0001', sk: 'CASE' },
        UpdateExpression: 'REMOVE acknowledgedAt',
      }),
    );
    await services.intake.receive(delivery);
    expect(transport.sent).toHaveLength(2);
    // Rendered with the same Message-ID; SES (and its stand-in) replaces it on each send, so the
    // reporter gets two mails, each with its own id, and a reply to either finds the case.
    const ids = transport.sent.map((m) => /^Message-ID: (.+)$/m.exec(m.raw.toString())?.[1]);
    expect(ids[0]).toBe(ids[1]);
    const delivered = await readMaildir(stores.outboxDir);
    expect(delivered).toHaveLength(2);
    const seen = delivered.map((m) => m.parsed.messageId!);
    expect(new Set(seen).size).toBe(2);
    for (const id of seen) expect(id).not.toBe(ids[0]);
    const found = await stores.services().threads.findSent(seen);
    expect(found.map((f) => f.caseId)).toEqual(['SEC-2026-0001', 'SEC-2026-0001']);
    expect(await stores.services().cases.list()).toHaveLength(1);
  });

  it('hands out case numbers atomically under concurrent reports', async () => {
    const services = stores.services();
    const deliveries = await Promise.all(
      Array.from({ length: 12 }, (_, i) => deliver(rawMessage({ from: `r${i}@example.net` }))),
    );
    const outcomes = await Promise.all(deliveries.map((d) => services.intake.receive(d)));
    const ids = outcomes.map((o) => (o.kind === 'case' ? o.caseId : 'none')).sort();
    expect(ids).toEqual(
      Array.from({ length: 12 }, (_, i) => `SEC-2026-${String(i + 1).padStart(4, '0')}`),
    );
    expect(await readMaildir(stores.outboxDir)).toHaveLength(12);
  });

  it('appends a reply to the acknowledgment, sent to the plain address, to its case', async () => {
    const services = stores.services();
    await services.intake.receive(await deliver(rawMessage({ from: 'alice@example.net' })));
    const [opened] = await services.cases.list();
    expect(opened!.reporterReplyToken).toBeUndefined();
    const [ack] = await readMaildir(stores.outboxDir);
    expect(ack!.parsed.replyTo?.value.map((v) => v.address)).toEqual(['security@example.org']);
    const followUp = await deliver(
      rawMessage({
        from: 'alice@example.net',
        subject: 'Re: no tag',
        headers: { 'In-Reply-To': ack!.parsed.messageId!, References: ack!.parsed.messageId! },
      }),
    );
    expect(await services.intake.receive(followUp)).toEqual({
      kind: 'follow-up',
      caseId: opened!.id,
    });
    const record = await services.cases.get(opened!.id);
    expect(record?.history.map((e) => e.type)).toEqual([
      'opened',
      'acknowledged',
      'forwarded',
      'follow-up',
      'forwarded',
    ]);
    expect(await readMaildir(stores.outboxDir)).toHaveLength(1);
  });

  it('still routes the reply token of a case opened when Reply-To carried one', async () => {
    const services = stores.services();
    await services.intake.receive(await deliver(rawMessage({ from: 'alice@example.net' })));
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const token = 'sec-2026-0001-abcdefghijklmnopqrstuvwxyz';
    await stores.dynamoClient.send(
      new UpdateCommand({
        TableName: 'embargo-cases',
        Key: { pk: 'CASE#SEC-2026-0001', sk: 'CASE' },
        UpdateExpression: 'SET reporterReplyToken = :t',
        ExpressionAttributeValues: { ':t': token },
      }),
    );
    const replyTo = `security+${token}@example.org`;
    const followUp = await deliver(rawMessage({ from: 'alice@example.net', to: replyTo }), {
      recipients: [replyTo],
    });
    expect(await services.intake.receive(followUp)).toEqual({
      kind: 'follow-up',
      caseId: 'SEC-2026-0001',
    });
  });

  it('opens a new case for a reply address whose token is unknown', async () => {
    const services = stores.services();
    const forged = 'security+aaaaaaaaaaaaaaaaaaaaaaaaaa@example.org';
    const outcome = await services.intake.receive(
      await deliver(rawMessage({ from: 'mallory@example.net', to: forged }), {
        recipients: [forged],
      }),
    );
    expect(outcome).toEqual({ kind: 'case', caseId: 'SEC-2026-0001' });
  });

  it('does not route by a token that names an existing case but was not issued by it', async () => {
    const services = stores.services();
    await services.intake.receive(await deliver(rawMessage({ from: 'alice@example.net' })));
    const forged = 'security+sec-2026-0001-aaaaaaaaaaaaaaaaaaaaaaaaaa@example.org';
    const outcome = await services.intake.receive(
      await deliver(rawMessage({ from: 'mallory@example.net', to: forged }), {
        recipients: [forged],
      }),
    );
    expect(outcome).toEqual({ kind: 'case', caseId: 'SEC-2026-0002' });
  });

  it('still routes reply tokens made before tokens named their case', async () => {
    const services = stores.services();
    await services.intake.receive(await deliver(rawMessage({ from: 'alice@example.net' })));
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const legacy = 'legacytokenabcdefghijklmno';
    await stores.dynamoClient.send(
      new PutCommand({
        TableName: 'embargo-cases',
        Item: { pk: `TOKEN#${legacy}`, sk: 'TOKEN', caseId: 'SEC-2026-0001', party: 'reporter' },
      }),
    );
    const replyTo = `security+${legacy}@example.org`;
    const followUp = await deliver(rawMessage({ from: 'alice@example.net', to: replyTo }), {
      recipients: [replyTo],
    });
    expect(await services.intake.receive(followUp)).toEqual({
      kind: 'follow-up',
      caseId: 'SEC-2026-0001',
    });
  });

  it.each([
    ['virus', { spam: 'PASS', virus: 'FAIL', dkim: 'GRAY', dmarc: 'GRAY' }],
    ['spam', { spam: 'FAIL', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' }],
  ] as const)(
    'keeps mail with an SES %s verdict without acknowledging it',
    async (reason, verdicts) => {
      const services = stores.services();
      const delivery = await deliver(rawMessage({ from: 'alice@example.net' }), { verdicts });
      expect(await services.intake.receive(delivery)).toEqual({ kind: 'rejected', reason });
      expect(await readMaildir(stores.outboxDir)).toHaveLength(0);
      expect((await services.ledger.get(delivery.messageId))?.outcome).toEqual({
        kind: 'rejected',
        reason,
      });
    },
  );

  it('does not answer mail that claims to come from the security address', async () => {
    const services = stores.services();
    const delivery = await deliver(rawMessage({ from: 'security@example.org' }), {
      envelopeFrom: 'security@example.org',
    });
    expect(await services.intake.receive(delivery)).toEqual({
      kind: 'rejected',
      reason: 'from-security-address',
    });
    expect(await readMaildir(stores.outboxDir)).toHaveLength(0);
  });

  it('quarantines a delivery whose raw message is not stored on the first attempt (no retry finds it)', async () => {
    const log = memoryLogger();
    const services = stores.services({ log });
    const delivery: MailDelivery = {
      messageId: 'never-stored',
      receivedAt: new Date(),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    const outcome = { kind: 'quarantined', reason: 'raw-mail-missing' };
    await expect(services.intake.receive(delivery)).resolves.toEqual(outcome);
    expect(await services.ledger.get('never-stored')).toMatchObject({
      sender: 'alice@example.net',
      outcome,
    });
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        event: 'intake.quarantined',
        fields: expect.objectContaining({
          reason: 'raw-mail-missing',
          detail: new RawMailMissingError('never-stored').reason,
        }),
      }),
    );
    // Lambda's redelivery finds the outcome recorded.
    await expect(services.intake.receive(delivery)).resolves.toEqual(outcome);
  });

  it('logs ids and reasons, never the body of a report', async () => {
    const log = memoryLogger();
    const services = stores.services({ log });
    const secret = 'SECRET-EXPLOIT-DETAILS-1234';
    await services.intake.receive(
      await deliver(rawMessage({ from: 'alice@example.net', body: secret })),
    );
    await services.intake.receive(
      await deliver(
        rawMessage({
          from: 'bot@example.net',
          body: secret,
          headers: { 'Auto-Submitted': 'auto-generated' },
        }),
      ),
    );
    expect(log.lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(log.lines)).not.toContain(secret);
  });

  describe('the Lambda handler', () => {
    it('runs intake for an SES receipt event', async () => {
      const services = stores.services();
      const handler = intakeHandler(() => services);
      const delivery = await deliver(rawMessage({ from: 'alice@example.net' }));
      const event = buildSesReceiptEvent({ ...delivery, functionArn: 'arn:aws:lambda:x' });
      expect(await handler(event)).toEqual([{ kind: 'case', caseId: 'SEC-2026-0001' }]);
      expect(await handler(event)).toEqual([{ kind: 'case', caseId: 'SEC-2026-0001' }]);
      expect(await readMaildir(stores.outboxDir)).toHaveLength(1);
    });

    it('refuses, in AWS, an event whose receipt rule names another function than the one invoked', async () => {
      const services = stores.services();
      const handler = intakeHandler(() => services);
      const delivery = await deliver(rawMessage({ from: 'alice@example.net' }));
      const arn = 'arn:aws:lambda:eu-west-1:111111111111:function:embargo-intake';
      const context = (invokedFunctionArn: string) => ({
        getRemainingTimeInMillis: () => 30_000,
        invokedFunctionArn,
      });
      const event = buildSesReceiptEvent({ ...delivery, functionArn: arn });
      // Refused on the first attempt: a retry of the same event is refused the same way.
      expect(
        await handler(event, context('arn:aws:lambda:eu-west-1:111111111111:function:other')),
      ).toEqual([
        expect.objectContaining({
          kind: 'refused',
          code: 'EVENT_INVALID',
          reason: expect.stringMatching(/the receipt rule names another function/),
        }),
      ]);
      expect(await readMaildir(stores.outboxDir)).toHaveLength(0);
      // The same function invoked through an alias or version is the one the rule names.
      expect(await handler(event, context(`${arn}:live`))).toEqual([
        { kind: 'case', caseId: 'SEC-2026-0001' },
      ]);
    });

    it('refuses events that are not SES receipt events', async () => {
      const log = memoryLogger();
      const handler = intakeHandler(() => stores.services(), log);
      expect(await handler({ Records: [{ eventSource: 'aws:s3' }] })).toEqual([
        expect.objectContaining({ kind: 'refused', code: 'EVENT_INVALID' }),
      ]);
      expect(await handler({})).toEqual([
        expect.objectContaining({
          reason: expect.stringMatching(/SES receipt event is not in the expected shape/),
        }),
      ]);
      expect(log.lines.map((l) => [l.level, l.event])).toEqual([
        ['error', 'function.input-refused'],
        ['error', 'function.input-refused'],
      ]);
    });
  });
});

describe('upstream announcements', () => {
  let stores: Stores;
  beforeEach(async () => {
    stores = await startStores();
  });
  afterEach(() => stores.stop());

  it('opens an upstream case from list mail of a configured sender, without acknowledging it', async () => {
    const config = {
      ...testConfig,
      upstreamSenders: [{ name: 'OpenSSL', address: 'openssl-security@openssl.org' }],
      maintainers: [
        {
          name: 'Mia',
          email: 'mia@example.org',
          publicKeyArmored: pgpFixture('mia-public.asc').toString(),
        },
      ],
    };
    const services = stores.services({ config });
    const messageId = randomBytes(8).toString('hex');
    const raw = rawMessage({
      from: 'OpenSSL <openssl-security@openssl.org>',
      subject: 'OpenSSL Security Advisory',
      headers: { 'List-Id': '<openssl-announce.openssl.org>', Precedence: 'list' },
    });
    await services.rawMail.put(messageId, Buffer.from(raw));
    const outcome = await services.intake.receive({
      messageId,
      receivedAt: new Date('2026-11-25T09:00:00Z'),
      envelopeFrom: 'openssl-security@openssl.org',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    });
    expect(outcome).toEqual({ kind: 'case', caseId: 'SEC-2026-0001' });
    const record = await services.cases.get('SEC-2026-0001' as CaseId);
    expect(record?.kind).toBe('upstream');
    expect(record?.acknowledgedAt).toBeUndefined();
    const mails = await readMaildir(stores.outboxDir);
    expect(mails.map((m) => m.deliveredTo)).toEqual(['mia@example.org']);
  });
});
