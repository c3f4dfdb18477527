import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import type { CaseRecord } from '../../shared/cases/case-record';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys, listPartitions } from '../../shared/adapters/dynamodb/table-layout';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import { localResources } from '../../infra/local/local-settings';
import { caseRecord } from '../support/case-builder';
import { FaultPlan } from '../support/fault-plan';
import { startStores, type Stores } from '../support/local-stores';

const DAY = 86_400_000;
const link = (ghsaId: string) => ({ ghsaId, url: `https://github.com/x/y/${ghsaId}` });

/** The cases waiting for GitHub's CVE id, read from their own list on the real local DynamoDB. */
describe('the cases waiting for a CVE id', () => {
  let stores: Stores;
  let plan: FaultPlan;
  let cases: DynamoDbCaseRepository;

  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(async () => stores.stop());
  beforeEach(() => {
    // Counts every DynamoDB request the repository makes (no fault is injected).
    plan = new FaultPlan();
    cases = new DynamoDbCaseRepository(
      plan.instrumentDynamo(localDynamoClient(stores.dynamoEndpoint)),
      localResources.tableName,
    );
  });

  const ask = (record: CaseRecord, at: string) =>
    cases.update(record.id, (current) => ({
      fields: { ghsa: { ...current.ghsa!, cveRequestedAt: at } },
      events: [],
    }));

  it('lists just those cases, however old, reading none of the others', async () => {
    const old = new Date(Date.now() - 400 * DAY).toISOString();
    const all: CaseRecord[] = [];
    for (let i = 1; i <= 40; i++) {
      const id = `SEC-2025-${String(i).padStart(4, '0')}`;
      const fields = i % 2 ? { ghsa: link(`GHSA-${i}`) } : {};
      all.push((await cases.createIfAbsent(caseRecord(id, { receivedAt: old, ...fields }))).record);
    }
    await ask(all[4]!, '2026-11-01T00:00:00.000Z');
    await ask(all[20]!, '2026-10-01T00:00:00.000Z');

    plan.log.length = 0;
    const waiting = await cases.listAwaitingCve();
    expect(waiting.map((r) => r.id)).toEqual(['SEC-2025-0021', 'SEC-2025-0005']);
    // One query of the watch list and one read per waiting case, whatever the number of cases.
    expect(plan.log.map((l) => l.replace(/^\d+: /, ''))).toEqual([
      'dynamodb QueryCommand',
      'dynamodb GetItemCommand',
      'dynamodb GetItemCommand',
    ]);
  });

  it('drops a case from the list once its CVE id is set, and takes it back if it is unset', async () => {
    const { record } = await cases.createIfAbsent(
      caseRecord('SEC-2026-0100', { ghsa: link('GHSA-100') }),
    );
    await ask(record, '2026-11-20T00:00:00.000Z');
    const ids = async () => (await cases.listAwaitingCve()).map((r) => r.id);
    expect(await ids()).toContain('SEC-2026-0100');

    await cases.update(record.id, () => ({ fields: { cve: 'CVE-2026-1234' }, events: [] }));
    expect(await ids()).not.toContain('SEC-2026-0100');
    // The entry is out of the index itself, not only filtered: the query no longer returns it.
    plan.log.length = 0;
    await cases.listAwaitingCve();
    const reads = plan.log.filter((l) => l.includes('GetItemCommand')).length;
    expect(reads).toBe((await ids()).length);

    await cases.update(record.id, () => ({ fields: { cve: undefined }, events: [] }));
    expect(await ids()).toContain('SEC-2026-0100');
  });

  it('keeps a case that asks at creation, and one whose write had to be decided again', async () => {
    const created = await cases.createIfAbsent(
      caseRecord('SEC-2026-0200', {
        ghsa: { ...link('GHSA-200'), cveRequestedAt: '2026-11-21T00:00:00.000Z' },
      }),
    );
    // A stale record: the first write attempt fails its version check and is decided again.
    const { record } = await cases.createIfAbsent(
      caseRecord('SEC-2026-0201', { ghsa: link('GHSA-201') }),
    );
    await cases.update(record.id, () => ({ fields: { title: 'moved on' }, events: [] }));
    await cases.update(record, (current) => ({
      fields: { ghsa: { ...current.ghsa!, cveRequestedAt: '2026-11-22T00:00:00.000Z' } },
      events: [],
    }));
    const ids = (await cases.listAwaitingCve()).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([created.record.id, record.id]));
  });

  it('takes an entry whose case does not wait off the list once it is old, not while young', async () => {
    const { record } = await cases.createIfAbsent(caseRecord('SEC-2026-0300'));
    // An entry left by a write that lost its race and was decided otherwise.
    const entry = (markedAt: string) =>
      stores.dynamoClient.send(
        new PutCommand({
          TableName: localResources.tableName,
          Item: {
            ...keys.cveWatch(record.id),
            gsi1pk: listPartitions.cveWatch,
            gsi1sk: `2026-11-01T00:00:00.000Z#${record.id}`,
            caseId: record.id,
            markedAt,
          },
        }),
      );
    const reads = async () => {
      plan.log.length = 0;
      expect((await cases.listAwaitingCve()).map((r) => r.id)).not.toContain(record.id);
      return plan.log.filter((l) => l.includes('GetItem')).length;
    };
    await entry(new Date().toISOString());
    const young = await reads();
    expect(await reads()).toBe(young); // still listed (its write may be under way)
    await entry(new Date(Date.now() - 3_600_000).toISOString());
    await cases.listAwaitingCve(); // takes it off
    expect(await reads()).toBe(young - 1);
  });
});

/** What duplicate detection reads of every case, on the real local DynamoDB. */
describe('the cases as duplicate detection compares them', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(async () => stores.stop());

  it('are every case, newest first, with the compared fields only, in one query', async () => {
    const plan = new FaultPlan();
    const cases = new DynamoDbCaseRepository(
      plan.instrumentDynamo(localDynamoClient(stores.dynamoEndpoint)),
      localResources.tableName,
    );
    const reportIndex = {
      terms: { overflow: 2, chunk: 1 },
      identifiers: [{ kind: 'path', value: 'src/http/chunked.c' }],
      classes: ['memory-safety'],
    };
    const older = caseRecord('SEC-2026-0401', {
      receivedAt: '2026-01-01T00:00:00.000Z',
      status: 'closed',
      resolution: 'fixed',
      disclosedAt: '2026-02-01T00:00:00.000Z',
      reportIndex,
      notDuplicateOf: ['SEC-2026-0402' as CaseRecord['id']],
      recipients: [{ address: 'a@distro.example', name: 'A' }],
    });
    const newer = caseRecord('SEC-2026-0402', { receivedAt: '2026-03-01T00:00:00.000Z' });
    await cases.createIfAbsent(older);
    await cases.createIfAbsent(newer);
    await cases.update(older.id, () => ({
      events: [{ id: 'note', at: older.receivedAt, type: 'note', actor: 'x', summary: 'more' }],
    }));

    plan.log.length = 0;
    expect(await cases.listCompared()).toEqual([
      { id: newer.id, status: 'triaged' },
      {
        id: older.id,
        status: 'closed',
        resolution: 'fixed',
        disclosedAt: '2026-02-01T00:00:00.000Z',
        reportIndex,
        notDuplicateOf: ['SEC-2026-0402'],
      },
    ]);
    expect(plan.log.map((l) => l.replace(/^\d+: /, ''))).toEqual(['dynamodb QueryCommand']);
  });

  it('keep the index as one string attribute, and read an index stored as a map before', async () => {
    const client = localDynamoClient(stores.dynamoEndpoint);
    const cases = new DynamoDbCaseRepository(client, localResources.tableName);
    const reportIndex = { terms: { heap: 3 }, identifiers: [], classes: [] };
    await cases.createIfAbsent(caseRecord('SEC-2026-0404', { reportIndex }));
    const stored = await client.send(
      new GetCommand({ TableName: localResources.tableName, Key: keys.case('SEC-2026-0404') }),
    );
    expect(stored.Item).not.toHaveProperty('reportIndex');
    expect(JSON.parse(stored.Item?.reportIndexText as string)).toEqual(reportIndex);
    expect((await cases.get('SEC-2026-0404' as CaseRecord['id']))?.reportIndex).toEqual(
      reportIndex,
    );

    const { reportIndexText: _text, ...before } = stored.Item!;
    await client.send(
      new PutCommand({
        TableName: localResources.tableName,
        Item: { ...before, ...keys.case('SEC-2026-0405'), id: 'SEC-2026-0405', reportIndex },
      }),
    );
    expect((await cases.get('SEC-2026-0405' as CaseRecord['id']))?.reportIndex).toEqual(
      reportIndex,
    );
    const listed = await cases.listCompared();
    expect(listed.find((c) => c.id === 'SEC-2026-0405')?.reportIndex).toEqual(reportIndex);
    expect(listed.find((c) => c.id === 'SEC-2026-0404')?.reportIndex).toEqual(reportIndex);
  });

  it('fail with a typed error naming the case when a compared field is damaged', async () => {
    const cases = new DynamoDbCaseRepository(
      localDynamoClient(stores.dynamoEndpoint),
      localResources.tableName,
    );
    const { record } = await cases.createIfAbsent(caseRecord('SEC-2026-0403'));
    await cases.update(record.id, () => ({
      fields: { reportIndex: { terms: 'not counts' } as unknown as CaseRecord['reportIndex'] },
      events: [],
    }));
    await expect(cases.listCompared()).rejects.toThrow(
      /CASE#SEC-2026-0403 \/ CASE.*reportIndex\.terms/s,
    );
  });
});

/** Cases listed by arrival, bounded in the Query's key condition, on the real local DynamoDB. */
describe('the cases received in a range', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(async () => stores.stop());

  it('include a case received at `from`, not one received at `before`, and read no other', async () => {
    const cases = new DynamoDbCaseRepository(
      localDynamoClient(stores.dynamoEndpoint),
      localResources.tableName,
    );
    const at = ['2026-03-31T23:59:59.999Z', '2026-04-01T00:00:00.000Z', '2026-04-30T23:59:59.999Z'];
    for (const [i, receivedAt] of [...at, '2026-05-01T00:00:00.000Z'].entries())
      await cases.createIfAbsent(caseRecord(`SEC-2026-050${i}`, { receivedAt }));
    // The items each Query read, before any filter (ScannedCount).
    let scanned = 0;
    const counted = localDynamoClient(stores.dynamoEndpoint);
    counted.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        scanned += (result.output as { ScannedCount?: number }).ScannedCount ?? 0;
        return result;
      },
      { step: 'initialize', name: 'countScanned' },
    );
    const bounded = new DynamoDbCaseRepository(counted, localResources.tableName);
    const received = async (range: { from?: string; before?: string }) => {
      scanned = 0;
      const ids = (await bounded.listReceived(range)).map((r) => r.receivedAt);
      expect(scanned).toBe(ids.length);
      return ids;
    };
    expect(
      await received({ from: '2026-04-01T00:00:00.000Z', before: '2026-05-01T00:00:00.000Z' }),
    ).toEqual([at[2], at[1]]);
    expect(await received({ before: '2026-04-01T00:00:00.000Z' })).toEqual([at[0]]);
    expect(await received({ from: at[1], before: at[1] })).toEqual([]);
    expect(await received({ from: '2026-04-30T23:59:59.999Z' })).toEqual([
      '2026-05-01T00:00:00.000Z',
      at[2],
    ]);
  });
});
