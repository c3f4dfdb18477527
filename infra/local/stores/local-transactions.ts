import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import db from 'dynalite/db';
import type { DynaliteStore, ItemDb } from 'dynalite/store';
import validations from 'dynalite/validations';
import putItemValidation from 'dynalite/validations/putItem';
import updateItemValidation from 'dynalite/validations/updateItem';
import deleteItemValidation from 'dynalite/validations/deleteItem';
import updateItem from 'dynalite/actions/updateItem';

/*
 * TransactWriteItems for local mode's table. dynalite has no transactions, and intake's first
 * writes are one transaction in AWS, so local mode must answer it as DynamoDB does
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html):
 * up to 100 actions, all or none; one action per item; a failed condition cancels the whole
 * request with a TransactionCanceledException whose CancellationReasons line up with the
 * actions (the item itself with ReturnValuesOnConditionCheckFailure ALL_OLD); a repeated
 * ClientRequestToken within ten minutes does not write again. Conditions and update
 * expressions are dynalite's own, so they mean here what they mean in every single-item call.
 * One difference is stated in docs/architecture.md: here a transaction waits for another on
 * the same item, where DynamoDB may cancel one with TransactionConflict.
 */

const TARGET = 'DynamoDB_20120810.TransactWriteItems';
const MAX_ACTIONS = 100;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const TOKEN_MS = 10 * 60_000;
const KINDS = ['ConditionCheck', 'Put', 'Update', 'Delete'] as const;
type Kind = (typeof KINDS)[number];

interface Action {
  kind: Kind;
  data: Record<string, unknown>;
  table: object;
  tableName: string;
  key: string;
  returnOld: boolean;
}

interface Reason {
  Code: string;
  Message?: string;
  Item?: object;
}

/** An answer DynamoDB gives as an error: its HTTP status and JSON body. */
class DynamoAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.Message ?? body.__type));
  }
}

const invalid = (message: string) =>
  new DynamoAnswer(400, { __type: 'com.amazon.coral.validate#ValidationException', message });

const VALIDATION: Record<Kind, { types: object; custom?: unknown }> = {
  Put: putItemValidation,
  Update: updateItemValidation,
  Delete: deleteItemValidation,
  ConditionCheck: deleteItemValidation,
};

function asAnswer(err: unknown): DynamoAnswer {
  if (err instanceof DynamoAnswer) return err;
  const e = err as { statusCode?: number; body?: Record<string, unknown> };
  if (e?.statusCode && e.body) return new DynamoAnswer(e.statusCode, e.body);
  throw err;
}

const tableOf = (store: DynaliteStore, name: string) =>
  new Promise<object>((resolve, reject) =>
    store.getTable(name, (err, table) => (err || !table ? reject(asAnswer(err)) : resolve(table))),
  );

/** Checks one action as its single-item call would be checked, and finds its item. */
async function actionOf(store: DynaliteStore, entry: Record<string, unknown>): Promise<Action> {
  const kinds = KINDS.filter((k) => entry[k] != null);
  const [kind] = kinds;
  if (kinds.length !== 1 || !kind)
    throw invalid('TransactItems can only contain one of Check, Put, Update or Delete');
  const { ReturnValuesOnConditionCheckFailure, ...request } = entry[kind] as Record<
    string,
    unknown
  >;
  if (kind === 'ConditionCheck' && !request.ConditionExpression)
    throw invalid('ConditionExpression is required for a ConditionCheck');
  const { types, custom } = VALIDATION[kind];
  let data: Record<string, unknown>;
  try {
    data = validations.checkTypes({ ...request }, types);
    validations.checkValidations(data, types, custom, store);
  } catch (err) {
    throw asAnswer(err);
  }
  const tableName = String(data.TableName);
  const table = await tableOf(store, tableName);
  const keyed = (kind === 'Put' ? data.Item : data.Key) as object;
  const wrong = kind === 'Put' ? db.validateItem(keyed, table) : db.validateKey(keyed, table);
  if (wrong) throw asAnswer(wrong);
  const key = db.createKey(keyed, table);
  return {
    kind,
    data,
    table,
    tableName,
    key,
    returnOld: ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
  };
}

/** Holds every item's lock (tables in name order, each table's keys at once) until released. */
async function lockAll(store: DynaliteStore, actions: Action[]): Promise<() => void> {
  const byTable = new Map<string, string[]>();
  for (const a of actions) byTable.set(a.tableName, [...(byTable.get(a.tableName) ?? []), a.key]);
  const releases: (() => void)[] = [];
  for (const name of [...byTable.keys()].sort()) {
    const itemDb = store.getItemDb(name);
    releases.push(
      await new Promise<() => void>((resolve) =>
        itemDb.lock(byTable.get(name)!, (release) => resolve(release(() => undefined))),
      ),
    );
  }
  return () => releases.reverse().forEach((release) => release());
}

const read = (itemDb: ItemDb, key: string) =>
  new Promise<object | undefined>((resolve, reject) =>
    itemDb.get(key, (err, item) =>
      err && err.name !== 'NotFoundError' ? reject(err) : resolve(err ? undefined : item),
    ),
  );

/** The item an update would leave, computed by dynalite's own UpdateItem on a private copy. */
function updated(store: DynaliteStore, action: Action, existing: object | undefined) {
  let result: object | undefined;
  const copy = {
    options: store.options,
    getTable: (_: string, cb: (err: null, table: object) => void) => cb(null, action.table),
    getItemDb: () => ({
      lock: (_: string, exec: (release: <F>(done: F) => F) => void) => exec((done) => done),
      get: (_: string, cb: (err: Error | null, item?: object) => void) =>
        existing
          ? cb(null, existing)
          : cb(Object.assign(new Error('absent'), { name: 'NotFoundError' })),
      put: (_: string, item: object, cb: () => void) => ((result = item), cb()),
    }),
    getIndexDb: () => ({
      put: (...a: unknown[]) => (a.pop() as () => void)(),
      del: (...a: unknown[]) => (a.pop() as () => void)(),
    }),
  };
  return new Promise<object>((resolve, reject) =>
    updateItem(copy, action.data, (err) => (err ? reject(asAnswer(err)) : resolve(result!))),
  );
}

/** What each action would write, or why the transaction is cancelled. */
async function evaluate(store: DynaliteStore, action: Action, existing: object | undefined) {
  const failed = db.checkConditional(action.data, existing);
  if (failed) return { reason: { Code: 'ConditionalCheckFailed', Message: failed.message } };
  if (action.kind === 'ConditionCheck') return { unchanged: true as const };
  if (action.kind === 'Delete') return { item: undefined };
  try {
    const item =
      action.kind === 'Put' ? (action.data.Item as object) : await updated(store, action, existing);
    if (db.itemSize(item) > store.options.maxItemSize)
      return {
        reason: {
          Code: 'ValidationError',
          Message: 'Item size has exceeded the maximum allowed size',
        },
      };
    return { item };
  } catch (err) {
    const answer = asAnswer(err);
    const conditional = String(answer.body.__type).endsWith('ConditionalCheckFailedException');
    return {
      reason: {
        Code: conditional ? 'ConditionalCheckFailed' : 'ValidationError',
        Message: answer.message,
      },
    };
  }
}

const write = (
  store: DynaliteStore,
  a: Action,
  existing: object | undefined,
  item: object | undefined,
) =>
  new Promise<void>((resolve, reject) =>
    db.updateIndexes(store, a.table, existing, item, (err) => {
      if (err) return reject(err);
      const itemDb = store.getItemDb(a.tableName);
      const done = (e?: Error | null) => (e ? reject(e) : resolve());
      if (item) itemDb.put(a.key, item, done);
      else itemDb.del(a.key, done);
    }),
  );

/** One TransactWriteItems request, all or nothing. */
async function transact(
  store: DynaliteStore,
  tokens: Map<string, { digest: string; at: number }>,
  body: Record<string, unknown>,
) {
  const entries = body.TransactItems;
  if (!Array.isArray(entries) || entries.length === 0)
    throw invalid('TransactItems must hold at least one action');
  if (entries.length > MAX_ACTIONS)
    throw invalid(
      `1 validation error detected at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ACTIONS}.`,
    );
  const token = typeof body.ClientRequestToken === 'string' ? body.ClientRequestToken : undefined;
  const digest = createHash('sha256').update(JSON.stringify(entries)).digest('hex');
  const now = Date.now();
  for (const [t, seen] of tokens) if (now - seen.at > TOKEN_MS) tokens.delete(t);
  const earlier = token ? tokens.get(token) : undefined;
  if (earlier && earlier.digest === digest) return {};
  if (earlier)
    throw new DynamoAnswer(400, {
      __type: 'com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException',
      message: 'The request uses the same client token as a previous, but non-identical request.',
    });
  const actions: Action[] = [];
  for (const entry of entries)
    actions.push(await actionOf(store, entry as Record<string, unknown>));
  const targets = new Set(actions.map((a) => `${a.tableName}\u0000${a.key}`));
  if (targets.size !== actions.length)
    throw invalid('Transaction request cannot include multiple operations on one item');
  const release = await lockAll(store, actions);
  try {
    const before = await Promise.all(actions.map((a) => read(store.getItemDb(a.tableName), a.key)));
    const outcomes = await Promise.all(actions.map((a, i) => evaluate(store, a, before[i])));
    const reasons: Reason[] = outcomes.map((o, i) =>
      'reason' in o && o.reason
        ? { ...o.reason, ...(actions[i]!.returnOld && before[i] ? { Item: before[i] } : {}) }
        : { Code: 'None' },
    );
    if (reasons.some((r) => r.Code !== 'None')) {
      const Message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`;
      throw new DynamoAnswer(400, {
        __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        Message,
        CancellationReasons: reasons,
      });
    }
    for (const [i, o] of outcomes.entries())
      if ('item' in o) await write(store, actions[i]!, before[i], o.item);
  } finally {
    release();
  }
  if (token) tokens.set(token, { digest, at: now });
  return {};
}

function answer(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'x-amzn-RequestId': randomUUID(),
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES)
      throw invalid('Transaction size has exceeded the maximum of 4 MB');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new DynamoAnswer(400, { __type: 'com.amazon.coral.service#SerializationException' });
  }
}

/** Answers TransactWriteItems on a dynalite server; every other call goes to dynalite. */
export function addTransactions(server: Server, store: DynaliteStore): void {
  const [dynalite] = server.listeners('request') as RequestListener[];
  if (!dynalite) throw new Error('The local table server has no request handler to extend.');
  const tokens = new Map<string, { digest: string; at: number }>();
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers['x-amz-target'] !== TARGET) return dynalite(req, res);
    bodyOf(req)
      .then((body) => transact(store, tokens, body))
      .then(
        (result) => answer(res, 200, result),
        (err: unknown) => {
          const a =
            err instanceof DynamoAnswer
              ? err
              : new DynamoAnswer(500, {
                  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
                  message: String(err),
                });
          answer(res, a.status, a.body);
        },
      );
  });
}

/** Starts dynalite and keeps hold of its store, which dynalite does not expose. */
export function dynaliteWithStore<S>(start: () => S): { server: S; store: DynaliteStore } {
  const create = db.create;
  let store: DynaliteStore | undefined;
  db.create = (options) => (store = create(options));
  try {
    const server = start();
    if (!store) throw new Error('dynalite did not create its store as expected (is it 4.0.0?)');
    return { server, store };
  } finally {
    db.create = create;
  }
}
