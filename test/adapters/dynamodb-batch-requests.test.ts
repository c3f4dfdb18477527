import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbThreadIndex } from '../../shared/adapters/dynamodb/dynamodb-thread-index';
import type { CaseId } from '../../shared/cases/case-id';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import { localResources } from '../../infra/local/local-settings';
import { startStores, type Stores } from '../support/local-stores';

const CASE = 'SEC-2026-0042' as CaseId;
const ids = ['a', 'b', 'c', 'd'].map((c) => `<${c.repeat(32)}@example.org>`);

/**
 * DynamoDB may answer part of a BatchGetItem and return the rest as UnprocessedKeys (when
 * throttled). dynalite never does, so the SDK's middleware does it here, on the real answer
 * from dynalite: it asks for the first key only and reports the others unprocessed.
 */
function leaveKeysUnprocessed(client: DynamoDBDocumentClient, times: number): { calls: number } {
  const seen = { calls: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchGetItemCommand') return next(args);
      seen.calls += 1;
      if (seen.calls > times) return next(args);
      const input = args.input as { RequestItems: Record<string, { Keys: unknown[] }> };
      const [table, request] = Object.entries(input.RequestItems)[0]!;
      if (times === Infinity)
        // Throttled throughout: nothing answered, every key returned unprocessed.
        return {
          output: {
            $metadata: {},
            Responses: { [table]: [] },
            UnprocessedKeys: input.RequestItems,
          },
          response: {},
        } as Awaited<ReturnType<typeof next>>;
      if (request.Keys.length < 2) return next(args);
      const rest = request.Keys.slice(1);
      const result = await next({
        ...args,
        input: {
          ...input,
          RequestItems: { [table]: { ...request, Keys: request.Keys.slice(0, 1) } },
        },
      });
      const output = result.output as { UnprocessedKeys?: Record<string, { Keys: unknown[] }> };
      output.UnprocessedKeys = { [table]: { Keys: rest } };
      return result;
    },
    { step: 'initialize', name: 'leaveKeysUnprocessed' },
  );
  return seen;
}

describe('BatchGetItem answers with UnprocessedKeys', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
    const threads = new DynamoDbThreadIndex(stores.dynamoClient, localResources.tableName);
    const at = new Date().toISOString();
    for (const id of ids)
      await threads.recordSent(id, CASE, at, { party: 'maintainer', address: 'mia@example.org' });
  });
  afterAll(() => stores.stop());

  it('retries the unprocessed keys until every one is answered', async () => {
    const client = localDynamoClient(stores.dynamoEndpoint);
    const seen = leaveKeysUnprocessed(client, 2);
    const threads = new DynamoDbThreadIndex(client, localResources.tableName);
    const found = await threads.findSent(ids);
    expect(found.map((f) => f.messageIdHeader).sort()).toEqual([...ids].sort());
    // First answer: one key; second: one more; third: the remaining two.
    expect(seen.calls).toBe(3);
  });

  it('fails the lookup, rather than reading "not sent", when keys stay unprocessed', async () => {
    const client = localDynamoClient(stores.dynamoEndpoint);
    const seen = leaveKeysUnprocessed(client, Infinity);
    const threads = new DynamoDbThreadIndex(client, localResources.tableName);
    await expect(threads.findSent(ids)).rejects.toThrow(/unprocessed after 8 retries/);
    expect(seen.calls).toBe(9);
  }, 30_000);
});
