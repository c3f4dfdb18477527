import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { tableLayout } from '../../../shared/adapters/dynamodb/table-layout';
import { localResources } from '../local-settings';
import { errorName } from '../../../shared/errors';
import { addTransactions, dynaliteWithStore } from './local-transactions';

/** Dummy credentials: the local servers accept any, but the SDK insists on some. */
export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A DynamoDB-compatible server in this process, its data in `<dataDir>/dynamodb`: dynalite, with
 * TransactWriteItems added (local-transactions.ts).
 */
export async function startLocalDynamo(dataDir: string): Promise<LocalDynamo> {
  const path = join(dataDir, 'dynamodb');
  await mkdir(path, { recursive: true });
  const { server, store } = dynaliteWithStore(() =>
    dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }),
  );
  addTransactions(server, store);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function localDynamoClient(endpoint: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    endpoint,
    region: localResources.region,
    credentials: localCredentials,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/** Creates the case table with the same keys and index as the CDK stack, unless it exists. */
export async function ensureCaseTable(
  client: DynamoDBDocumentClient,
  TableName: string = localResources.tableName,
): Promise<void> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    if (Table?.TableStatus !== 'ACTIVE')
      await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName });
    return;
  } catch (err) {
    if (
      !(err instanceof ResourceNotFoundException) &&
      errorName(err) !== 'ResourceNotFoundException'
    ) {
      throw err;
    }
  }
  const { partitionKey, sortKey, listIndex } = tableLayout;
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [partitionKey, sortKey, listIndex.partitionKey, listIndex.sortKey].map(
        (AttributeName) => ({ AttributeName, AttributeType: 'S' }),
      ),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: listIndex.name,
          KeySchema: [
            { AttributeName: listIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: listIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  // The server reports a new table as CREATING for a moment; requests fail until it is ACTIVE.
  await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName });
}
