import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CaseRecord } from '../../cases/case-record';
import type { CaseId } from '../../cases/case-id';
import { DeliveryInProgressError } from '../../errors';
import type {
  InboundLedger,
  InboundOutcome,
  InboundRecord,
  TakenDelivery,
} from '../../intake/inbound-ledger';
import { claimOnce } from './conditional-claim';
import { isTransactionCancelled } from './conditional-check';
import { newCaseItem } from './dynamodb-case-repository';
import { releaseHold, takeHold } from './conditional-hold';
import { queryListPartition } from './query-all';
import { heldItem, inboundItem, readItem, reservationItem, reservedItem } from './stored-items';
import { keys, listPartitions } from './table-layout';

function toRecord(item: Record<string, unknown>): InboundRecord {
  const { messageId, receivedAt, sender, reservedCaseId, outcome } = readItem(inboundItem, item);
  return {
    messageId,
    receivedAt,
    sender,
    ...(reservedCaseId ? { reservedCaseId } : {}),
    // The schema checks what each kind's readers use; the rest is as the port declares it.
    ...(outcome ? { outcome: outcome as InboundOutcome } : {}),
  };
}

export class DynamoDbInboundLedger implements InboundLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(messageId: string): Promise<InboundRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.inbound(messageId),
        ConsistentRead: true,
      }),
    );
    // An item with only a hold on it (the attempt failed before recording anything) is no record.
    return result.Item?.messageId ? toRecord(result.Item) : undefined;
  }

  async take(messageId: string, holder: string, now: Date, until: Date): Promise<TakenDelivery> {
    const key = keys.inbound(messageId);
    const taken = await takeHold(this.client, this.tableName, key, {
      holder,
      now,
      until,
      condition: 'attribute_not_exists(outcome)',
    });
    if (taken) {
      const { reservedCaseId } = readItem(reservationItem, taken, key);
      return reservedCaseId ? { reservedCaseId } : {};
    }
    // Done already, or held: only a repeated event gets here, so the extra read is rare.
    const item = (
      await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      )
    ).Item;
    if (item?.outcome) return toRecord(item);
    // Released between the two requests: held until now, so the retry takes it.
    const { heldUntil } = readItem(heldItem, item, key);
    throw new DeliveryInProgressError(messageId, heldUntil ?? now.toISOString());
  }

  release(messageId: string, holder: string): Promise<void> {
    return releaseHold(this.client, this.tableName, keys.inbound(messageId), holder);
  }

  claimFingerprint(fingerprint: string, messageId: string): Promise<string> {
    return claimOnce(this.client, this.tableName, keys.fingerprint(fingerprint), messageId);
  }

  async reserveCaseId(record: Omit<InboundRecord, 'outcome'>, caseId: CaseId): Promise<CaseId> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.inbound(record.messageId),
        UpdateExpression:
          'SET reservedCaseId = if_not_exists(reservedCaseId, :caseId), messageId = :m, receivedAt = :r, sender = :s',
        ExpressionAttributeValues: {
          ':caseId': caseId,
          ':m': record.messageId,
          ':r': record.receivedAt,
          ':s': record.sender,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return readItem(reservedItem, result.Attributes, keys.inbound(record.messageId)).reservedCaseId;
  }

  async reserveAndOpen(
    record: Omit<InboundRecord, 'outcome'>,
    opened: CaseRecord,
  ): Promise<CaseRecord | undefined> {
    const { stored, item, watchesCve } = newCaseItem(opened);
    if (watchesCve) return undefined; // its watch-list entry is createIfAbsent's
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.inbound(record.messageId),
                UpdateExpression:
                  'SET reservedCaseId = :caseId, messageId = :m, receivedAt = :r, sender = :s',
                ConditionExpression: 'attribute_not_exists(reservedCaseId)',
                ExpressionAttributeValues: {
                  ':caseId': opened.id,
                  ':m': record.messageId,
                  ':r': record.receivedAt,
                  ':s': record.sender,
                },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: item,
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return stored;
    } catch (err) {
      if (isTransactionCancelled(err)) return undefined;
      throw err;
    }
  }

  async recordOutcome(
    record: Omit<InboundRecord, 'reservedCaseId'>,
    outcome: InboundOutcome,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.inbound(record.messageId),
        UpdateExpression:
          'SET outcome = :o, messageId = :m, receivedAt = :r, sender = :s, gsi1pk = :g, gsi1sk = :gs REMOVE heldBy, heldUntil',
        ExpressionAttributeValues: {
          ':o': outcome,
          ':m': record.messageId,
          ':r': record.receivedAt,
          ':s': record.sender,
          ':g': listPartitions.inbound,
          ':gs': `${record.receivedAt}#${record.messageId}`,
        },
      }),
    );
  }

  async list(): Promise<InboundRecord[]> {
    const items = await queryListPartition(this.client, this.tableName, listPartitions.inbound, {
      newestFirst: true,
    });
    return items.map(toRecord);
  }
}
