import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OutboxEntry, OutboxLedger } from '../../outbound/outbox-ledger';
import { outboxItem, readItem } from './stored-items';
import { keys } from './table-layout';

export class DynamoDbOutboxLedger implements OutboxLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: string, messageIdHeader: string): Promise<OutboxEntry> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.outbox(key),
        UpdateExpression: 'SET messageIdHeader = if_not_exists(messageIdHeader, :m)',
        ExpressionAttributeValues: { ':m': messageIdHeader },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const item = readItem(outboxItem, result.Attributes, keys.outbox(key));
    return {
      key,
      messageIdHeader: item.messageIdHeader,
      ...(item.sentAt ? { sentAt: item.sentAt } : {}),
      ...(item.deliveredAs !== undefined ? { deliveredAs: item.deliveredAs } : {}),
    };
  }

  async markSent(key: string, at: string, deliveredAs: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.outbox(key),
        UpdateExpression: 'SET sentAt = if_not_exists(sentAt, :t), deliveredAs = :d',
        ExpressionAttributeValues: { ':t': at, ':d': deliveredAs },
      }),
    );
  }
}
