import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FloodOutcome } from '../../../intake/admission/flood-intake';
import {
  hourOf,
  type CollectedMail,
  type FloodCollection,
} from '../../../intake/admission/flood-collection';
import { queryAll } from '../query-all';
import { inboundItem, readItem } from '../stored-items';
import { expiresAtOf, listPartitions, tableLayout } from '../table-layout';
import { floodKeys, KEPT_AFTER_MS } from './flood-keys';

/** A digest run looks back three hours (flood-digest.ts); a mark is kept a day past that. */
const MARK_NEEDED_MS = 4 * 3_600_000;

/**
 * The ledger's list index holds inbound mail by `<receivedAt>#<messageId>`, so one hour is one
 * key prefix; its flood outcomes are the collected mail. A digest reads that hour once.
 */
export class DynamoDbFloodCollection implements FloodCollection {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async inHour(hourStart: Date): Promise<CollectedMail[]> {
    const { name, partitionKey, sortKey } = tableLayout.listIndex;
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: name,
      KeyConditionExpression: '#p = :p AND begins_with(#s, :hour)',
      FilterExpression: '#o.kind = :flood',
      ExpressionAttributeNames: { '#p': partitionKey, '#s': sortKey, '#o': 'outcome' },
      ExpressionAttributeValues: {
        ':p': listPartitions.inbound,
        ':hour': hourOf(hourStart),
        ':flood': 'flood',
      },
    });
    return items.map((item) => {
      const { messageId, receivedAt, sender, outcome } = readItem(inboundItem, item);
      // The query's filter selected flood outcomes; the schema checked their fields.
      const { subject, sizeBytes, scope } = outcome as FloodOutcome;
      return { messageId, receivedAt, sender, subject, sizeBytes, scope };
    });
  }

  async isDigested(hourStart: Date): Promise<boolean> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: floodKeys.digest(hourOf(hourStart)) }),
    );
    return result.Item !== undefined;
  }

  async markDigested(hourStart: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...floodKeys.digest(hourOf(hourStart)),
          expiresAt: expiresAtOf(new Date(hourStart.getTime() + MARK_NEEDED_MS + KEPT_AFTER_MS)),
        },
      }),
    );
  }
}
