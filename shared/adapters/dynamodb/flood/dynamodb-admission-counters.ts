import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type {
  AdmissionCounters,
  CountRequest,
  CountResult,
  DeliveryClaim,
} from '../../../intake/admission/admission-counters';
import { isConditionalCheckFailure, isTransactionCancelled } from '../conditional-check';
import { expiresAtOf, keys } from '../table-layout';
import { floodKeys, KEPT_AFTER_MS } from './flood-keys';
import { EmbargoError } from '../../../errors';

/** A window start lost to a concurrent one is retried; more than this means a bug. */
const ATTEMPTS = 4;
/** Full counters remembered by this process (a Lambda container); beyond this, forgotten. */
const REMEMBERED = 10_000;

/** A counter that reached its limit: until its window ends, nothing about it can change. */
interface FullCounter {
  windowEnd: string;
  ids: Set<string>;
  noticeBy: string;
}

/**
 * ADMIT#<counter> items: `n` messages admitted in the window ending `windowEnd`, their ids in
 * `ids` (at most `limit` of them, so the item stays small however long the flood), and
 * `noticeBy`, the delivery that owns the window's notice to the sender, and `expiresAt` (the
 * table's TTL) a day after the window's end, since it counts nothing after. (An item written
 * before counters had a TTL gets one at its next count: a day after that count's window would
 * end, a little later than its own.) The common case of a delivery's counts and its fingerprint
 * claim is one transaction; anything else is one conditional write at a time on one item.
 */
export class DynamoDbAdmissionCounters implements AdmissionCounters {
  /**
   * Within its window a full counter stays full, its ids and its notice owner fixed; so a
   * sender over the limit costs no call at all once this process has seen the counter full.
   */
  private readonly full = new Map<string, FullCounter>();

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async count(request: CountRequest): Promise<CountResult> {
    const known = this.full.get(request.counter);
    const now = request.now.toISOString();
    if (known && known.windowEnd > now) {
      if (known.ids.has(request.messageId)) return { admitted: true, count: known.ids.size };
      return {
        admitted: false,
        windowEnd: known.windowEnd,
        notify: known.noticeBy === request.messageId,
      };
    }
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const result = await this.tryCount(request);
      if (result) return result;
    }
    throw new EmbargoError(
      'COUNTER_CONTENDED',
      `Admission counter ${request.counter} kept changing under ${ATTEMPTS} attempts to count.`,
      'Nothing to do: the delivery is retried; if this persists, look for a flood in `npx embargo inbound`.',
    );
  }

  private async conditional(send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      return false;
    }
  }

  private async tryCount(request: CountRequest): Promise<CountResult | undefined> {
    const Key = floodKeys.admission(request.counter);
    const now = request.now.toISOString();
    const end = new Date(request.now.getTime() + request.windowMs).toISOString();
    const expiresAt = expiresAtOf(
      new Date(request.now.getTime() + request.windowMs + KEPT_AFTER_MS),
    );
    // The common case, in one write: a first message, or inside the window, under the limit
    // and not counted yet.
    try {
      const result = await this.client.send(
        new UpdateCommand({ ...this.firstCount(request), ReturnValues: 'UPDATED_NEW' }),
      );
      return { admitted: true, count: Number(result.Attributes?.n) };
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
    }
    const item = (
      await this.client.send(
        new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
      )
    ).Item;
    const ids = item?.ids instanceof Set ? (item.ids as Set<string>) : new Set<string>();
    const windowEnd = typeof item?.windowEnd === 'string' ? item.windowEnd : undefined;
    if (!item) return undefined; // the first message, written since: count again
    if (!windowEnd || windowEnd <= now) {
      // The window has passed: start a new one, unless another delivery just did.
      const started = await this.conditional(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...Key, n: 1, ids: new Set([request.messageId]), windowEnd: end, expiresAt },
            ConditionExpression: 'attribute_not_exists(pk) OR windowEnd <= :now',
            ExpressionAttributeValues: { ':now': now },
          }),
        ),
      );
      return started ? { admitted: true, count: 1 } : undefined;
    }
    if (ids.has(request.messageId)) return { admitted: true, count: Number(item?.n) };
    if (Number(item?.n) < request.limit) return undefined; // changed since the update: again
    if (typeof item?.noticeBy === 'string') {
      this.remember(request.counter, { windowEnd, ids, noticeBy: item.noticeBy });
      return { admitted: false, windowEnd, notify: item.noticeBy === request.messageId };
    }
    const claimed = await this.conditional(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'SET noticeBy = :mid',
          ConditionExpression: 'attribute_not_exists(noticeBy) AND windowEnd = :end',
          ExpressionAttributeValues: { ':mid': request.messageId, ':end': windowEnd },
        }),
      ),
    );
    if (!claimed) return undefined;
    this.remember(request.counter, { windowEnd, ids, noticeBy: request.messageId });
    return { admitted: false, windowEnd, notify: true };
  }

  /** A first message, or inside the window, under the limit and not counted yet. */
  private firstCount(request: CountRequest) {
    const { now, windowMs } = request;
    return {
      TableName: this.tableName,
      Key: floodKeys.admission(request.counter),
      UpdateExpression:
        'ADD n :one, ids :id SET windowEnd = if_not_exists(windowEnd, :end), expiresAt = if_not_exists(expiresAt, :expires)',
      ConditionExpression:
        'attribute_not_exists(pk) OR (windowEnd > :now AND n < :limit AND NOT contains(ids, :mid))',
      ExpressionAttributeValues: {
        ':one': 1,
        ':id': new Set([request.messageId]),
        ':mid': request.messageId,
        ':now': now.toISOString(),
        ':end': new Date(now.getTime() + windowMs).toISOString(),
        ':limit': request.limit,
        ':expires': expiresAtOf(new Date(now.getTime() + windowMs + KEPT_AFTER_MS)),
      },
    };
  }

  async countAllAndClaim(requests: CountRequest[], claim: DeliveryClaim): Promise<boolean> {
    // A counter this process knows is full would only cancel the transaction.
    const now = requests[0]?.now.toISOString() ?? '';
    if (requests.some((r) => (this.full.get(r.counter)?.windowEnd ?? '') > now)) return false;
    const claimPut = {
      TableName: this.tableName,
      Item: { ...keys.fingerprint(claim.fingerprint), owner: claim.messageId },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            ...requests.map((r) => ({ Update: this.firstCount(r) })),
            { Put: claimPut },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isTransactionCancelled(err)) return false;
      throw err;
    }
  }

  private remember(counter: string, full: FullCounter): void {
    if (this.full.size >= REMEMBERED) this.full.clear();
    this.full.set(counter, full);
  }
}
