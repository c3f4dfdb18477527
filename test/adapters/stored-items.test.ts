import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbCiphertextLedger } from '../../shared/adapters/dynamodb/dynamodb-ciphertext-ledger';
import { DynamoDbDistributorDirectory } from '../../shared/adapters/dynamodb/dynamodb-distributor-directory';
import { DynamoDbInboundLedger } from '../../shared/adapters/dynamodb/dynamodb-inbound-ledger';
import { DynamoDbNoticeHolds } from '../../shared/adapters/dynamodb/dynamodb-notice-holds';
import { DynamoDbOutboxLedger } from '../../shared/adapters/dynamodb/dynamodb-outbox-ledger';
import { DynamoDbReplayGuard } from '../../shared/adapters/dynamodb/dynamodb-replay-guard';
import { DynamoDbThreadIndex } from '../../shared/adapters/dynamodb/dynamodb-thread-index';
import { DynamoDbFloodCollection } from '../../shared/adapters/dynamodb/flood/dynamodb-flood-collection';
import { keys, listPartitions } from '../../shared/adapters/dynamodb/table-layout';
import type { CaseId } from '../../shared/cases/case-id';
import { StoredItemInvalidError } from '../../shared/errors';
import type { InboundOutcome } from '../../shared/intake/inbound-ledger';
import { LocalNoticeScheduler } from '../../infra/local/local-notice-scheduler';
import { noticeKinds } from '../../shared/notices/notice-scheduler';
import { localResources } from '../../infra/local/local-settings';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import { startStores, type Stores } from '../support/local-stores';

/**
 * Every item an adapter reads back from the real local DynamoDB (dynalite) other than cases
 * (test/cases/case-record-schema.test.ts): what the adapter wrote reads back as written, and an
 * item damaged through the plain client fails with its key and what is wrong with it.
 */
describe('stored items read back by the DynamoDB adapters', () => {
  let stores: Stores;
  const table = localResources.tableName;
  const client = () => localDynamoClient(stores.dynamoEndpoint);
  const putRaw = (item: Record<string, unknown>) =>
    client().send(new PutCommand({ TableName: table, Item: item }));
  const CASE = 'SEC-2026-0701' as CaseId;

  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(async () => stores.stop());

  /** The error `work` fails with: a StoredItemInvalidError for `key` with these problems. */
  async function expectInvalid(work: Promise<unknown>, key: string, problems: RegExp[]) {
    const failure = await work.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(StoredItemInvalidError);
    const err = failure as StoredItemInvalidError;
    expect(err.code).toBe('STORED_ITEM_INVALID');
    expect(err.key).toBe(key);
    for (const problem of problems) expect(err.problems.join('\n')).toMatch(problem);
  }

  describe('the inbound ledger', () => {
    const ledger = () => new DynamoDbInboundLedger(client(), table);
    const outcomes: InboundOutcome[] = [
      { kind: 'case', caseId: CASE },
      { kind: 'follow-up', caseId: CASE },
      { kind: 'duplicate', duplicateOf: '<first@example.org>' },
      { kind: 'rejected', reason: 'spam' },
      { kind: 'quarantined', reason: 'case-full' },
      {
        kind: 'flood',
        scope: 'address',
        category: 'report',
        subject: 'one of many',
        sizeBytes: 1234,
      },
    ];

    it.each(outcomes)('reads back an outcome of kind $kind as recorded', async (outcome) => {
      const record = {
        messageId: `<${outcome.kind}@example.org>`,
        receivedAt: '2026-03-01T10:00:00.000Z',
        sender: 'reporter@example.org',
      };
      await ledger().reserveCaseId(record, CASE);
      await ledger().recordOutcome(record, outcome);
      expect(await ledger().get(record.messageId)).toEqual({
        ...record,
        reservedCaseId: CASE,
        outcome,
      });
    });

    it('fails on a damaged record, read alone or in the listing', async () => {
      await putRaw({
        ...keys.inbound('<damaged@example.org>'),
        gsi1pk: listPartitions.inbound,
        gsi1sk: '2026-03-02T10:00:00.000Z#<damaged@example.org>',
        messageId: '<damaged@example.org>',
        receivedAt: 1767225600,
        sender: 'reporter@example.org',
        outcome: { kind: 'case', caseId: 'no case' },
      });
      const key = 'INBOUND#<damaged@example.org> / INBOUND';
      const problems = [/^receivedAt: /m, /^outcome\.caseId: not a case id/m];
      await expectInvalid(ledger().get('<damaged@example.org>'), key, problems);
      await expectInvalid(ledger().list(), key, problems);
      // Done already (it has an outcome): the repeated delivery reads it, and fails the same way.
      await expectInvalid(
        ledger().take('<damaged@example.org>', 'h', new Date(), new Date()),
        key,
        problems,
      );
    });

    it('fails on a damaged reservation, whether taken or reserved again', async () => {
      await putRaw({ ...keys.inbound('<reserved@example.org>'), reservedCaseId: 'SEC-26-1' });
      const key = 'INBOUND#<reserved@example.org> / INBOUND';
      const until = new Date(Date.now() + 60_000);
      await expectInvalid(ledger().take('<reserved@example.org>', 'h', new Date(), until), key, [
        /^reservedCaseId: not a case id/m,
      ]);
      const record = { messageId: '<reserved@example.org>', receivedAt: 'now', sender: 'a@b.c' };
      await expectInvalid(ledger().reserveCaseId(record, CASE), key, [/^reservedCaseId: /m]);
    });

    it('fails on a hold that does not say until when', async () => {
      const later = new Date(Date.now() + 60_000).toISOString();
      await putRaw({ ...keys.inbound('<held@example.org>'), heldBy: 'other', heldUntil: 17 });
      await expectInvalid(
        ledger().take('<held@example.org>', 'h', new Date(), new Date(later)),
        'INBOUND#<held@example.org> / INBOUND',
        [/^heldUntil: /m],
      );
    });
  });

  describe('the claims of fingerprints, signatures and ciphertexts', () => {
    const claims = [
      {
        name: 'fingerprint',
        key: keys.fingerprint('f1'),
        claim: () => new DynamoDbInboundLedger(client(), table).claimFingerprint('f1', '<m2>'),
      },
      {
        name: 'signature',
        key: keys.signature('s1'),
        claim: () => new DynamoDbReplayGuard(client(), table).claimSignature('s1', '<m2>'),
      },
      {
        name: 'ciphertext',
        key: keys.ciphertext('c1'),
        claim: () => new DynamoDbCiphertextLedger(client(), table).claim('c1', '<m2>'),
      },
    ];

    it.each(claims)('name the first owner of a $name', async ({ key, claim }) => {
      await putRaw({ ...key, owner: '<m1>' });
      expect(await claim()).toBe('<m1>');
    });

    it.each(claims)('fail on a $name claim without an owner', async ({ key, claim }) => {
      await putRaw({ ...key, owner: ['<m1>'] });
      await expectInvalid(claim(), `${key.pk} / ${key.sk}`, [/^owner: /m]);
    });
  });

  describe('the outbox ledger', () => {
    const outbox = () => new DynamoDbOutboxLedger(client(), table);

    it('reads back the Message-ID claimed first and the send marked', async () => {
      await outbox().claim('k1', '<first@embargo>');
      await outbox().markSent('k1', '2026-03-01T10:00:00.000Z', '<ses@amazonses.com>');
      expect(await outbox().claim('k1', '<second@embargo>')).toEqual({
        key: 'k1',
        messageIdHeader: '<first@embargo>',
        sentAt: '2026-03-01T10:00:00.000Z',
        deliveredAs: '<ses@amazonses.com>',
      });
    });

    it('fails on an entry whose Message-ID is not text', async () => {
      await putRaw({ ...keys.outbox('k2'), messageIdHeader: 7, sentAt: true });
      await expectInvalid(outbox().claim('k2', '<m@embargo>'), 'OUTBOX#k2 / OUTBOX', [
        /^messageIdHeader: /m,
        /^sentAt: /m,
      ]);
    });
  });

  describe('the notice holds', () => {
    const holds = () => new DynamoDbNoticeHolds(client(), table);

    it('say until when another holder has a notice', async () => {
      const until = new Date(Date.now() + 60_000);
      expect(await holds().take('n1', 'a', new Date(), until)).toBeUndefined();
      expect(await holds().take('n1', 'b', new Date(), until)).toBe(until.toISOString());
    });

    it('fail on a hold whose time is not text', async () => {
      await putRaw({ ...keys.noticeHold('n2'), heldBy: 'a', heldUntil: 1767225600 });
      const until = new Date(Date.now() + 60_000);
      await expectInvalid(holds().take('n2', 'b', new Date(), until), 'HOLD#n2 / HOLD', [
        /^heldUntil: /m,
      ]);
    });
  });

  describe('the thread index', () => {
    const index = () => new DynamoDbThreadIndex(client(), table);

    it('reads back a sent mail as recorded', async () => {
      await index().recordSent('<s1@embargo>', CASE, '2026-03-01T10:00:00.000Z', {
        party: 'maintainer',
        address: 'Max@Example.org',
      });
      expect(await index().sent('<s1@embargo>')).toEqual({ sentAt: '2026-03-01T10:00:00.000Z' });
      expect(await index().findSent(['<s1@embargo>'])).toEqual([
        {
          messageIdHeader: '<s1@embargo>',
          caseId: CASE,
          sentTo: { party: 'maintainer', address: 'max@example.org' },
        },
      ]);
    });

    it('fails on a sent mail that names no case or an unknown party', async () => {
      const key = keys.sentMessage('<s2@embargo>');
      await putRaw({ ...key, sentAt: '2026-03-01T10:00:00.000Z', sentToParty: 'stranger' });
      const problems = [/^caseId: /m, /^sentToParty: /m];
      await expectInvalid(index().sent('<s2@embargo>'), `${key.pk} / SENT`, problems);
      await expectInvalid(index().findSent(['<s2@embargo>']), `${key.pk} / SENT`, problems);
    });

    it("reads an old reply token, and fails on a maintainer's without the address", async () => {
      await putRaw({ ...keys.replyToken('t1'), caseId: CASE, party: 'maintainer', address: 'm@x' });
      expect(await index().findByLegacyReplyToken('t1')).toEqual({
        caseId: CASE,
        party: 'maintainer',
        address: 'm@x',
      });
      await putRaw({ ...keys.replyToken('t2'), caseId: CASE, party: 'maintainer' });
      await expectInvalid(index().findByLegacyReplyToken('t2'), 'TOKEN#t2 / TOKEN', [
        /^address: a maintainer's token names/m,
      ]);
    });
  });

  describe('the distributor directory', () => {
    const directory = () => new DynamoDbDistributorDirectory(client(), table);
    const distributor = {
      email: 'a@distro.example',
      name: 'A Distro',
      publicKeyArmored: '-----BEGIN PGP PUBLIC KEY BLOCK-----',
      fingerprint: 'ABCD',
      addedAt: '2026-03-01T10:00:00.000Z',
    };

    it('reads back a distributor as put, and fails on one without a key', async () => {
      await directory().put(distributor);
      expect(await directory().list()).toEqual([distributor]);
      const { publicKeyArmored: _key, ...keyless } = distributor;
      await putRaw({
        ...keys.distributor('b@distro.example'),
        gsi1pk: listPartitions.distributors,
        gsi1sk: 'b@distro.example',
        ...keyless,
        email: 'b@distro.example',
      });
      await expectInvalid(directory().list(), 'DISTRIBUTOR#b@distro.example / DISTRIBUTOR', [
        /^publicKeyArmored: /m,
      ]);
    });
  });

  it('fails on an entry of the CVE watch list that names no case', async () => {
    await putRaw({
      ...keys.cveWatch('SEC-2026-0702'),
      gsi1pk: listPartitions.cveWatch,
      gsi1sk: '#SEC-2026-0702',
      markedAt: '2026-03-01T10:00:00.000Z',
    });
    await expectInvalid(
      new DynamoDbCaseRepository(client(), table).listAwaitingCve(),
      'CVEWATCH#SEC-2026-0702 / CVEWATCH',
      [/^caseId: /m],
    );
  });

  it('fails on a flood outcome in the hourly collection without its size', async () => {
    const collection = new DynamoDbFloodCollection(client(), table);
    const ledger = new DynamoDbInboundLedger(client(), table);
    const record = {
      messageId: '<flood@example.org>',
      receivedAt: '2026-04-01T10:05:00.000Z',
      sender: 'many@example.org',
    };
    const flood = {
      kind: 'flood' as const,
      scope: 'address' as const,
      category: 'report' as const,
    };
    await ledger.recordOutcome(record, { ...flood, subject: 'again', sizeBytes: 10 });
    const hour = new Date('2026-04-01T10:00:00.000Z');
    expect(await collection.inHour(hour)).toEqual([
      { ...record, subject: 'again', sizeBytes: 10, scope: 'address' },
    ]);
    await putRaw({
      ...keys.inbound(record.messageId),
      gsi1pk: listPartitions.inbound,
      gsi1sk: `${record.receivedAt}#${record.messageId}`,
      ...record,
      outcome: { ...flood, subject: 'again' },
    });
    await expectInvalid(collection.inHour(hour), 'INBOUND#<flood@example.org> / INBOUND', [
      /^outcome\.sizeBytes: /m,
    ]);
  });

  it('fails on a local schedule whose trigger names no notice Embargo sends', async () => {
    const scheduler = new LocalNoticeScheduler(client(), table);
    const trigger = {
      caseId: CASE,
      kind: 'advance' as const,
      disclosureAt: '2026-05-01T00:00:00Z',
    };
    await scheduler.schedule('s1', new Date('2026-04-01T00:00:00Z'), trigger);
    expect(await scheduler.pending()).toEqual([
      { name: 's1', at: '2026-04-01T00:00:00.000Z', trigger },
    ]);
    // Every kind the planner schedules reads back (the reminder and summary once did not).
    for (const kind of noticeKinds) {
      await scheduler.schedule(`k-${kind}`, new Date('2026-04-01T00:00:00Z'), { ...trigger, kind });
    }
    expect((await scheduler.pending()).map((s) => s.trigger.kind).sort()).toEqual(
      ['advance', ...noticeKinds].sort(),
    );
    for (const kind of noticeKinds) await scheduler.cancel(`k-${kind}`);
    await putRaw({
      ...keys.schedule('s2'),
      gsi1pk: listPartitions.schedules,
      gsi1sk: '2026-04-02T00:00:00.000Z#s2',
      name: 's2',
      at: '2026-04-02T00:00:00.000Z',
      trigger: { ...trigger, kind: 'teaser' },
    });
    await expectInvalid(scheduler.pending(), 'SCHEDULE#s2 / SCHEDULE', [/^trigger\.kind: /m]);
  });
});
