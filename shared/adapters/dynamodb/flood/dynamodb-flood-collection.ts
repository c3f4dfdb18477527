import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AdmissionScope } from '../../../intake/admission/admission';
import {
  hourOf,
  type CollectedMail,
  type FloodCollection,
} from '../../../intake/admission/flood-collection';
import { queryAll } from '../query-all';
import { floodKeys } from './flood-keys';

/** One item per collected message in its hour's partition; a digest reads one partition. */
export class DynamoDbFloodCollection implements FloodCollection {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async collect(mail: CollectedMail): Promise<void> {
    // A plain put: a retry writes the same item again.
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...floodKeys.collected(hourOf(mail.receivedAt), mail.receivedAt, mail.messageId),
          ...mail,
        },
      }),
    );
  }

  async inHour(hourStart: Date): Promise<CollectedMail[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': floodKeys.collectedHour(hourOf(hourStart)) },
    });
    return items.map((item) => ({
      messageId: String(item.messageId),
      receivedAt: String(item.receivedAt),
      sender: String(item.sender),
      subject: String(item.subject),
      sizeBytes: Number(item.sizeBytes),
      scope: item.scope as AdmissionScope,
    }));
  }

  async isDigested(hourStart: Date): Promise<boolean> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: floodKeys.digest(hourOf(hourStart)) }),
    );
    return result.Item !== undefined;
  }

  async markDigested(hourStart: Date): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: floodKeys.digest(hourOf(hourStart)) }),
    );
  }
}
