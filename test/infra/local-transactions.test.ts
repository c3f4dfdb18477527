import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  ensureCaseTable,
  localCredentials,
  startLocalDynamo,
} from '../../infra/local/stores/local-dynamodb';
import { tableLayout } from '../../shared/adapters/dynamodb/table-layout';
import { motoSkipReason, startMotoServer } from '../support/moto-server';

/**
 * Local mode's TransactWriteItems (infra/local/stores/local-transactions.ts) against the AWS API
 * emulator: every case runs on both servers and must come out the same, so local mode answers
 * intake's transactions as AWS does.
 */
const TABLE = 'transactions';
const motoSkip = motoSkipReason();
if (motoSkip) console.warn(motoSkip);

interface Target {
  client: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

async function localTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-transactions-'));
  const dynamo = await startLocalDynamo(dir);
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'us-east-1',
      credentials: localCredentials,
    }),
  );
  return {
    client,
    stop: async () => {
      await dynamo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function motoTarget(): Promise<Target> {
  const moto = await startMotoServer();
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    }),
  );
  return { client, stop: () => moto.stop() };
}

/**
 * moto 5.2 does not keep ClientRequestToken (a repeated token writes again) and checks the
 * conditions of concurrent transactions without isolation (12 concurrent transactions under a
 * limit of 8 all wrote): those two cases run on local mode only, which does what AWS documents.
 */
interface Fidelity {
  tokens: boolean;
  isolation: boolean;
}
const targets: [string, () => Promise<Target>, Fidelity][] = [
  ['local mode (dynalite)', localTarget, { tokens: true, isolation: true }],
];
if (!motoSkip) targets.push(['moto_server', motoTarget, { tokens: false, isolation: false }]);

/** A case a server cannot pass for want of the feature is not declared there at all. */
const absent = (() => undefined) as unknown as jest.It;

const { partitionKey: pk, sortKey: sk, listIndex } = tableLayout;
const key = (id: string) => ({ [pk]: `T#${id}`, [sk]: 'A' });

/** What a transaction came to: ok, or the error's name, message and per-action reasons. */
async function outcome(client: DynamoDBDocumentClient, input: TransactWriteCommandInput) {
  try {
    await client.send(new TransactWriteCommand(input));
    return { ok: true };
  } catch (err) {
    const e = err as Error & { CancellationReasons?: { Code?: string; Item?: object }[] };
    return {
      name: e.name,
      message: e.message,
      reasons: e.CancellationReasons?.map((r) => ({ code: r.Code, item: r.Item })),
    };
  }
}

const counting = (id: string, limit: number) => ({
  Update: {
    TableName: TABLE,
    Key: key(id),
    UpdateExpression: 'ADD n :one SET firstAt = if_not_exists(firstAt, :now)',
    ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
    ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':now': '2026-12-06' },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
  },
});
const creating = (id: string, extra: Record<string, unknown> = {}) => ({
  Put: {
    TableName: TABLE,
    Item: { ...key(id), made: true, ...extra },
    ConditionExpression: 'attribute_not_exists(#pk)',
    ExpressionAttributeNames: { '#pk': pk },
  },
});

describe.each(targets)('TransactWriteItems on %s', (_name, start, fidelity) => {
  let target: Target;
  let client: DynamoDBDocumentClient;
  const read = async (id: string) =>
    (await client.send(new GetCommand({ TableName: TABLE, Key: key(id), ConsistentRead: true })))
      .Item;

  beforeAll(async () => {
    target = await start();
    client = target.client;
    await ensureCaseTable(client, TABLE);
  });
  afterAll(() => target?.stop());

  it('writes every action: a put, an update expression and a condition check', async () => {
    await client.send(new TransactWriteCommand({ TransactItems: [creating('base')] }));
    const result = await outcome(client, {
      TransactItems: [
        counting('c1', 5),
        creating('p1', { [listIndex.partitionKey]: 'LIST#T', [listIndex.sortKey]: 'p1' }),
        {
          ConditionCheck: {
            TableName: TABLE,
            Key: key('base'),
            ConditionExpression: 'made = :yes',
            ExpressionAttributeValues: { ':yes': true },
          },
        },
      ],
    });
    expect(result).toEqual({ ok: true });
    expect(await read('c1')).toMatchObject({ n: 1, firstAt: '2026-12-06' });
    expect(await read('p1')).toMatchObject({ made: true });
    // The index is written with the item.
    const listed = await client.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: listIndex.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': listIndex.partitionKey },
        ExpressionAttributeValues: { ':p': 'LIST#T' },
      }),
    );
    expect(listed.Items?.map((i) => i[listIndex.sortKey])).toEqual(['p1']);
  });

  it('writes nothing when one condition fails, and says which, with the item as it was', async () => {
    await client.send(new TransactWriteCommand({ TransactItems: [counting('full', 1)] }));
    const result = await outcome(client, {
      TransactItems: [counting('fresh', 5), counting('full', 1), creating('p2')],
    });
    expect(result.name).toBe('TransactionCanceledException');
    expect(result.message).toContain('[None, ConditionalCheckFailed, None]');
    expect(result.reasons?.map((r) => r.code)).toEqual(['None', 'ConditionalCheckFailed', 'None']);
    // ALL_OLD: the item that failed its condition comes back (as DynamoDB JSON).
    expect(result.reasons?.[1]?.item).toMatchObject({ n: { N: '1' } });
    expect(await read('fresh')).toBeUndefined();
    expect(await read('p2')).toBeUndefined();
    expect(await read('full')).toMatchObject({ n: 1 });
  });

  it('refuses two actions on one item, and more than 100 actions', async () => {
    const twice = await outcome(client, {
      TransactItems: [counting('twice', 5), creating('twice')],
    });
    expect(twice).toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
    const many = Array.from({ length: 101 }, (_, i) => counting(`many${i}`, 5));
    expect((await outcome(client, { TransactItems: many })).name).toBe('ValidationException');
    expect(await read('twice')).toBeUndefined();
    expect(await read('many0')).toBeUndefined();
  });

  const itWithTokens = fidelity.tokens ? it : absent;
  itWithTokens(
    'does not write twice for a repeated ClientRequestToken, and refuses it for another request',
    async () => {
      const request = { TransactItems: [counting('token', 5)], ClientRequestToken: 'delivery-1' };
      expect(await outcome(client, request)).toEqual({ ok: true });
      expect(await outcome(client, request)).toEqual({ ok: true });
      expect(await read('token')).toMatchObject({ n: 1 });
      const other = await outcome(client, { ...request, TransactItems: [counting('other', 5)] });
      expect(other.name).toBe('IdempotentParameterMismatchException');
      expect(await read('other')).toBeUndefined();
    },
  );

  const itIsolated = fidelity.isolation ? it : absent;
  itIsolated('keeps items consistent under concurrent transactions on the same items', async () => {
    const runs = await Promise.all(
      Array.from({ length: 12 }, () =>
        outcome(client, { TransactItems: [counting('left', 8), counting('right', 8)] }),
      ),
    );
    const done = runs.filter((r) => r.ok).length;
    // However many won (DynamoDB may cancel some as conflicts), both counters moved together.
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThanOrEqual(8);
    expect(await read('left')).toMatchObject({ n: done });
    expect(await read('right')).toMatchObject({ n: done });
  });
});
