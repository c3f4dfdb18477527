import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Distributor, DistributorDirectory } from '../../notices/distributor-directory';
import { isTimeZone } from '../../time/zoned-text';
import { queryListPartition } from './query-all';
import { distributorItem, readItem } from './stored-items';
import { keys, listPartitions } from './table-layout';

export class DynamoDbDistributorDirectory implements DistributorDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(distributor: Distributor): Promise<void> {
    const email = distributor.email.toLowerCase();
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.distributor(email),
          gsi1pk: listPartitions.distributors,
          gsi1sk: email,
          ...distributor,
          email,
        },
      }),
    );
  }

  async list(): Promise<Distributor[]> {
    const items = await queryListPartition(
      this.client,
      this.tableName,
      listPartitions.distributors,
    );
    return items.map((item) => {
      const {
        email,
        name,
        publicKeyArmored,
        fingerprint,
        addedAt,
        consent,
        timeZone,
        nameInPublicRecords,
      } = readItem(distributorItem, item);
      return {
        email,
        name,
        publicKeyArmored,
        fingerprint,
        addedAt,
        ...(timeZone && isTimeZone(timeZone) ? { timeZone } : {}),
        ...(consent ? { consent } : {}),
        ...(nameInPublicRecords ? { nameInPublicRecords } : {}),
      };
    });
  }

  async remove(email: string): Promise<boolean> {
    const result = await this.client.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: keys.distributor(email.toLowerCase()),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return result.Attributes !== undefined;
  }
}
