import { createHash } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbThreadIndex } from '../../shared/adapters/dynamodb/dynamodb-thread-index';
import { keys } from '../../shared/adapters/dynamodb/table-layout';
import type { CaseId } from '../../shared/cases/case-id';
import type { SentTo } from '../../shared/cases/thread-index';
import type { InboundMail, MailDelivery } from '../../shared/mail/inbound-mail';
import { ThreadRouter } from '../../shared/threads/thread-router';
import { localResources } from '../../infra/local/local-settings';
import { caseRecord } from '../support/case-builder';
import { resolvedMaintainer } from '../support/local-project';
import { startStores, testConfig, type Stores } from '../support/local-stores';

const CASE = 'SEC-2026-0007' as CaseId;
const config = {
  ...testConfig,
  securityAddress: 'security@example.org',
  maintainers: [resolvedMaintainer('mia'), resolvedMaintainer('max')],
};

/** The Message-IDs SES gave the mails (recipients see and cite these), in SES's form. */
const sesId = (n: string) =>
  `<0100019a${n.repeat(8)}-${n.repeat(8)}-${n.repeat(4)}-${n.repeat(4)}-${n.repeat(4)}-${n.repeat(12)}-000000@eu-west-1.amazonses.com>`;
const ID = {
  ack: sesId('a'),
  miaCopy: sesId('b'),
  maxCopy: sesId('c'),
  advance: sesId('d'),
  publicNotice: sesId('e'),
  /** Sent before recipients were recorded: the item has a case and no party. */
  old: '<5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f@example.org>',
  report: '<alice-report@example.net>',
};
/** The Message-ID Embargo gave a mail before SES replaced it: no recipient ever sees it. */
const ownId = (delivered: string) =>
  `<${createHash('sha256').update(delivered).digest('hex').slice(0, 32)}@example.org>`;

/**
 * The thread router against the real table (dynalite): which case and which role a reply gets
 * from the Message-IDs it names, the reply tokens in old mail, and the subject tag.
 */
describe('thread router', () => {
  let stores: Stores;
  let router: ThreadRouter;

  beforeAll(async () => {
    stores = await startStores();
    const table = localResources.tableName;
    const cases = new DynamoDbCaseRepository(stores.dynamoClient, table);
    const threads = new DynamoDbThreadIndex(stores.dynamoClient, table);
    router = new ThreadRouter(config, cases, threads);
    await cases.createIfAbsent(
      caseRecord(CASE, {
        reportMessageIdHeader: ID.report,
        // A case opened before replies went to the plain address: its tokens are in old mail.
        reporterReplyToken: 'sec-2026-0007-aaaaaaaaaaaaaaaaaaaaaaaaaa',
        maintainerReplyTokens: { 'mia@example.org': 'sec-2026-0007-bbbbbbbbbbbbbbbbbbbbbbbbbb' },
      }),
    );
    await cases.createIfAbsent(caseRecord('SEC-2026-0008', { reporterReplyToken: undefined }));
    const at = new Date().toISOString();
    const sent = (id: string, party: SentTo['party'], address: string) =>
      threads.recordSent(ownId(id), CASE, at, { party, address }, id);
    await sent(ID.ack, 'reporter', 'alice@example.net');
    await sent(ID.miaCopy, 'maintainer', 'mia@example.org');
    await sent(ID.maxCopy, 'maintainer', 'max@example.org');
    await sent(ID.advance, 'other', 'distros@example.com');
    await sent(ID.publicNotice, 'other', 'announce@example.org');
    // Written as the table held it before: no sentToParty, no sentToAddress.
    await stores.dynamoClient.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.sentMessage(ID.old), caseId: CASE, sentAt: at },
      }),
    );
    await stores.dynamoClient.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.replyToken('cccccccccccccccccccccccccc'), caseId: CASE, party: 'reporter' },
      }),
    );
  });
  afterAll(async () => {
    await stores.stop();
  });

  const resolve = (
    from: string,
    opts: { cites?: string[]; to?: string; subject?: string } = {},
  ) => {
    const delivery: MailDelivery = {
      messageId: 'm1',
      receivedAt: new Date(),
      envelopeFrom: from,
      recipients: [opts.to ?? 'security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    const cites = opts.cites ?? [];
    const mail: InboundMail = {
      from: { address: from },
      subject: opts.subject ?? 'Re: your mail',
      messageIdHeader: '<reply@example.net>',
      ...(cites.length ? { inReplyTo: cites.at(-1)! } : {}),
      references: cites,
      headers: new Map(),
      contentType: 'text/plain',
    };
    return router.resolve(delivery, mail).then((m) =>
      m
        ? {
            caseId: m.record.id,
            role: m.role,
            via: m.via,
            ...(m.maintainer ? { maintainer: m.maintainer.email } : {}),
          }
        : undefined,
    );
  };

  it('takes a reply citing mail sent to the sender as that party', async () => {
    expect(await resolve('alice@example.net', { cites: [ID.report, ID.ack] })).toEqual({
      caseId: CASE,
      role: 'reporter',
      via: 'references',
    });
    expect(await resolve('MIA@example.org', { cites: [ID.miaCopy] })).toEqual({
      caseId: CASE,
      role: 'maintainer',
      via: 'references',
      maintainer: 'mia@example.org',
    });
    // A distributor answering its advance notice reaches the case, as a non-party.
    expect(await resolve('distros@example.com', { cites: [ID.advance] })).toEqual({
      caseId: CASE,
      role: 'other',
      via: 'references',
    });
  });

  it("matches SES's id whatever amazonses.com host the reply names it with", async () => {
    const [, id] = /^<([^@]+)@/.exec(ID.miaCopy)!;
    for (const host of [
      'email.amazonses.com',
      'us-east-1.amazonses.com',
      'EU-WEST-1.AMAZONSES.COM',
    ])
      expect(await resolve('mia@example.org', { cites: [`<${id}@${host}>`] })).toMatchObject({
        role: 'maintainer',
        via: 'references',
      });
    // Another domain with the same local part is not SES's id.
    expect(await resolve('mia@example.org', { cites: [`<${id}@example.net>`] })).toBeUndefined();
  });

  it('looks up ids of any length without failing on the key-size limit', async () => {
    const long = `<${'x'.repeat(3000)}@example.net>`;
    expect(await resolve('mia@example.org', { cites: [long, ID.miaCopy] })).toMatchObject({
      role: 'maintainer',
      via: 'references',
    });
    expect(await resolve('eve@example.net', { cites: [long] })).toBeUndefined();
  });

  it('finds the one cited mail that went to the sender among others of the thread', async () => {
    expect(await resolve('mia@example.org', { cites: [ID.miaCopy, ID.maxCopy] })).toMatchObject({
      role: 'maintainer',
      via: 'references',
    });
  });

  it('trusts mail sent to another party no more than the subject tag', async () => {
    // Mia citing Max's copy, the public notice or the acknowledgment: a maintainer by From only.
    for (const cited of [ID.maxCopy, ID.publicNotice, ID.advance, ID.ack])
      expect(await resolve('mia@example.org', { cites: [cited] })).toEqual({
        caseId: CASE,
        role: 'maintainer',
        via: 'unverified-reference',
        maintainer: 'mia@example.org',
      });
    // The reporter citing a maintainer's copy.
    expect(await resolve('alice@example.net', { cites: [ID.miaCopy] })).toEqual({
      caseId: CASE,
      role: 'reporter',
      via: 'unverified-reference',
    });
  });

  it('never makes a stranger a party, whatever case mail they cite', async () => {
    for (const cited of [ID.ack, ID.miaCopy, ID.publicNotice, ID.old])
      expect(await resolve('eve@example.net', { cites: [cited] })).toEqual({
        caseId: CASE,
        role: 'other',
        via: 'unverified-reference',
      });
  });

  it('authenticates nobody by an inbound Message-ID (the report, chosen by its sender)', async () => {
    expect(await resolve('mia@example.org', { cites: [ID.report] })).toBeUndefined();
    expect(await resolve('alice@example.net', { cites: [ID.report] })).toBeUndefined();
  });

  it('routes old index items without a party by From only', async () => {
    expect(await resolve('mia@example.org', { cites: [ID.old] })).toMatchObject({
      caseId: CASE,
      role: 'maintainer',
      via: 'unverified-reference',
    });
    expect(await resolve('alice@example.net', { cites: [ID.old] })).toMatchObject({
      role: 'reporter',
      via: 'unverified-reference',
    });
  });

  it('still honours the reply tokens in old mail, legacy ones included', async () => {
    expect(
      await resolve('alice@example.net', {
        to: 'security+sec-2026-0007-aaaaaaaaaaaaaaaaaaaaaaaaaa@example.org',
      }),
    ).toEqual({ caseId: CASE, role: 'reporter', via: 'reply-token' });
    expect(
      await resolve('mia@example.org', {
        to: 'security+sec-2026-0007-bbbbbbbbbbbbbbbbbbbbbbbbbb@example.org',
      }),
    ).toEqual({
      caseId: CASE,
      role: 'maintainer',
      via: 'reply-token',
      maintainer: 'mia@example.org',
    });
    // Mia's token in Max's mail gives Max nothing.
    expect(
      await resolve('max@example.org', {
        to: 'security+sec-2026-0007-bbbbbbbbbbbbbbbbbbbbbbbbbb@example.org',
      }),
    ).toEqual({ caseId: CASE, role: 'other', via: 'reply-token' });
    expect(
      await resolve('alice@example.net', { to: 'security+cccccccccccccccccccccccccc@example.org' }),
    ).toEqual({ caseId: CASE, role: 'reporter', via: 'reply-token' });
    // A guessed token of a case that has none (opened since tokens stopped) finds nothing.
    expect(
      await resolve('eve@example.net', {
        to: 'security+sec-2026-0008-aaaaaaaaaaaaaaaaaaaaaaaaaa@example.org',
      }),
    ).toBeUndefined();
  });

  it('takes the subject tag only from a party, as before', async () => {
    expect(await resolve('mia@example.org', { subject: `Re: [${CASE}] x` })).toMatchObject({
      role: 'maintainer',
      via: 'subject-tag',
    });
    expect(await resolve('eve@example.net', { subject: `Re: [${CASE}] x` })).toBeUndefined();
  });
});
