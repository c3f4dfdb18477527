import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbThreadIndex } from '../../shared/adapters/dynamodb/dynamodb-thread-index';
import { keys } from '../../shared/adapters/dynamodb/table-layout';
import type { CaseId } from '../../shared/cases/case-id';
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

const ID = {
  ack: '<0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a@example.org>',
  miaCopy: '<1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b@example.org>',
  maxCopy: '<2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c@example.org>',
  advance: '<3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d3d@example.org>',
  publicNotice: '<4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e4e@example.org>',
  /** Sent before recipients were recorded: the item has a case and no party. */
  old: '<5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f@example.org>',
  report: '<alice-report@example.net>',
};

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
    await threads.recordSent(ID.ack, CASE, at, { party: 'reporter', address: 'alice@example.net' });
    await threads.recordSent(ID.miaCopy, CASE, at, {
      party: 'maintainer',
      address: 'mia@example.org',
    });
    await threads.recordSent(ID.maxCopy, CASE, at, {
      party: 'maintainer',
      address: 'max@example.org',
    });
    await threads.recordSent(ID.advance, CASE, at, {
      party: 'other',
      address: 'distros@example.com',
    });
    await threads.recordSent(ID.publicNotice, CASE, at, {
      party: 'other',
      address: 'announce@example.org',
    });
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
