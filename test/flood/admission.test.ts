import { randomBytes } from 'node:crypto';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { GnuPg, signedMail } from '../support/gnupg';
import { readMaildir } from '../support/maildir';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';

const DAY = 86_400_000;
const MIA = {
  name: 'Mia',
  email: 'mia@example.org',
  publicKeyArmored: pgpFixture('mia-public.asc').toString(),
};

describe('the admission check, against real local DynamoDB and S3 servers', () => {
  let stores: Stores;
  let now: Date;
  const clock = { now: () => now };
  beforeEach(async () => {
    stores = await startStores();
    now = new Date('2026-11-25T09:00:00Z');
  });
  afterEach(() => stores.stop());

  const withLimits = (flood: Partial<EmbargoConfig['flood']>, extra: Partial<EmbargoConfig> = {}) =>
    stores.services({
      clock,
      config: { ...testConfig, ...extra, flood: { ...testConfig.flood, ...flood } },
    });

  async function deliver(
    services: EmbargoServices,
    raw: string,
    overrides: Partial<MailDelivery> = {},
  ): Promise<MailDelivery> {
    const delivery: MailDelivery = {
      messageId: randomBytes(10).toString('hex'),
      receivedAt: now,
      envelopeFrom: 'x@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
      ...overrides,
    };
    await services.rawMail.put(delivery.messageId, Buffer.from(raw));
    return delivery;
  }
  const report = (services: EmbargoServices, from: string, subject = 'Heap overflow') =>
    deliver(services, rawMessage({ from, subject })).then((d) => services.intake.receive(d));
  const outbox = () => readMaildir(stores.outboxDir);
  const noticesTo = async (address: string) =>
    (await outbox()).filter(
      (m) => m.deliveredTo === address && m.parsed.subject?.includes('is collected'),
    );

  it('reads five reports a day from an address, collects the rest, and notifies the sender once', async () => {
    const services = withLimits({});
    const outcomes = [];
    for (let i = 0; i < 8; i++) outcomes.push(await report(services, 'spam@flood.example'));
    expect(outcomes.slice(0, 5).map((o) => o.kind)).toEqual(Array(5).fill('case'));
    for (const o of outcomes.slice(5))
      expect(o).toEqual({
        kind: 'flood',
        scope: 'address',
        category: 'report',
        subject: 'Heap overflow',
        sizeBytes: expect.any(Number),
      });
    expect(await services.cases.list()).toHaveLength(5);
    const mails = (await outbox()).filter((m) => m.deliveredTo === 'spam@flood.example');
    // Five acknowledgments and one notice, whose text echoes nothing the sender wrote.
    expect(mails).toHaveLength(6);
    const notices = await noticesTo('spam@flood.example');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.parsed.text).toContain('are collected and will be read');
    expect(notices[0]!.parsed.text).not.toContain('Heap overflow');
    expect(notices[0]!.raw).toMatch(/^Auto-Submitted: auto-replied/m);

    const ledger = await services.ledger.list();
    expect(ledger.filter((r) => r.outcome?.kind === 'flood')).toHaveLength(3);
    // The raw mail of every collected message is kept.
    for (const r of ledger)
      expect((await services.rawMail.get(r.messageId)).length).toBeGreaterThan(0);
    const collected = await services.floodCollection.inHour(now);
    expect(collected.map((c) => c.sender)).toEqual(Array(3).fill('spam@flood.example'));
  });

  it('reads the sender again once their day has passed', async () => {
    const services = withLimits({ reportsPerAddress: 1 });
    expect((await report(services, 'a@one.example')).kind).toBe('case');
    expect((await report(services, 'a@one.example')).kind).toBe('flood');
    now = new Date(now.getTime() + DAY - 60_000);
    expect((await report(services, 'a@one.example')).kind).toBe('flood');
    now = new Date(now.getTime() + 120_000);
    expect((await report(services, 'a@one.example')).kind).toBe('case');
    expect((await report(services, 'a@one.example')).kind).toBe('flood');
    // One notice per window.
    expect(await noticesTo('a@one.example')).toHaveLength(2);
  });

  it('does not count the same delivery twice when it is retried after counting', async () => {
    const services = withLimits({ reportsPerAddress: 2 });
    const first = await deliver(services, rawMessage({ from: 'r@retry.example' }));
    await services.intake.receive(first);
    // As if the attempt had stopped after the count but before recording the outcome.
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await stores.dynamoClient.send(
      new UpdateCommand({
        TableName: 'embargo-cases',
        Key: { pk: `INBOUND#${first.messageId}`, sk: 'INBOUND' },
        UpdateExpression: 'REMOVE outcome',
      }),
    );
    expect((await services.intake.receive(first)).kind).toBe('case');
    expect((await report(services, 'r@retry.example')).kind).toBe('case');
    expect((await report(services, 'r@retry.example')).kind).toBe('flood');
  });

  it('sends the notice when the first refused delivery is retried after a failed send', async () => {
    const services = withLimits({ reportsPerAddress: 1 });
    await report(services, 'n@notice.example');
    const refused = await deliver(services, rawMessage({ from: 'n@notice.example' }));
    const failing = stores.services({
      clock,
      config: { ...testConfig, flood: { ...testConfig.flood, reportsPerAddress: 1 } },
      transport: { send: () => Promise.reject(new Error('simulated SES outage')) },
    });
    await expect(failing.intake.receive(refused)).rejects.toThrow('simulated SES outage');
    expect((await services.intake.receive(refused)).kind).toBe('flood');
    expect((await report(services, 'n@notice.example')).kind).toBe('flood');
    expect(await noticesTo('n@notice.example')).toHaveLength(1);
  });

  it('limits a domain as a whole', async () => {
    const services = withLimits({ reportsPerDomain: 3 });
    const kinds = [];
    for (let i = 0; i < 5; i++) kinds.push((await report(services, `u${i}@bots.example`)).kind);
    expect(kinds).toEqual(['case', 'case', 'case', 'flood', 'flood']);
    expect((await report(services, 'someone@other.example')).kind).toBe('case');
    const ledger = await services.ledger.list();
    expect(ledger.find((r) => r.sender === 'u3@bots.example')?.outcome).toMatchObject({
      kind: 'flood',
      scope: 'domain',
      category: 'report',
    });
  });

  it("counts a reporter's follow-ups on their own case apart, and more generously", async () => {
    const services = withLimits({ reportsPerAddress: 1, followUpsPerAddress: 2 });
    const opened = await report(services, 'alice@example.net', 'Overflow');
    if (opened.kind !== 'case') throw new Error('no case');
    expect((await report(services, 'alice@example.net')).kind).toBe('flood');
    const followUp = () =>
      deliver(
        services,
        rawMessage({ from: 'alice@example.net', subject: `Re: [${opened.caseId}] Overflow` }),
      ).then((d) => services.intake.receive(d));
    expect((await followUp()).kind).toBe('follow-up');
    expect((await followUp()).kind).toBe('follow-up');
    expect(await followUp()).toMatchObject({
      kind: 'flood',
      scope: 'address',
      category: 'follow-up',
    });
  });

  it("never throttles a maintainer's signed mail, but counts unsigned mail from their address", async () => {
    const gpg = new GnuPg(['mia-secret.asc', 'project-public.asc']);
    // GnuPG signs as of the real time, and signatures from the future are refused.
    now = new Date();
    try {
      const services = withLimits({ reportsPerAddress: 1 }, { maintainers: [MIA] });
      for (let i = 0; i < 3; i++) {
        const raw = signedMail(
          gpg,
          {
            from: 'mia@example.org',
            to: 'security@example.org',
            subject: `Found it myself ${i}`,
            messageId: `<mia-${i}@example.org>`,
          },
          `A flaw found in review, number ${i}.`,
        );
        const delivery = await deliver(services, raw, { envelopeFrom: 'mia@example.org' });
        expect((await services.intake.receive(delivery)).kind).toBe('case');
      }
      const unsigned = () =>
        deliver(services, rawMessage({ from: 'mia@example.org' })).then((d) =>
          services.intake.receive(d),
        );
      expect((await unsigned()).kind).toBe('case');
      expect((await unsigned()).kind).toBe('flood');
    } finally {
      gpg.close();
    }
  });
});
