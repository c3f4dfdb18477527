import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCaseRepository } from '../../shared/adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbInboundLedger } from '../../shared/adapters/dynamodb/dynamodb-inbound-ledger';
import type { CaseRepository } from '../../shared/ports/case-repository';
import type { InboundLedger } from '../../shared/ports/inbound-ledger';
import { ensureCaseTable, localDynamoClient, startLocalDynamo } from './local-dynamodb';
import { localResources } from './local-settings';
import { readRunningRuntime } from './runtime-file';

export interface LocalDataAccess {
  cases: CaseRepository;
  ledger: InboundLedger;
  close(): Promise<void>;
}

/**
 * Opens local-mode case data for the CLI: through the running `npm start` if there is one
 * (its store admits a single opener), otherwise by opening the store in this process.
 */
export async function openLocalData(dataDir: string): Promise<LocalDataAccess> {
  const running = readRunningRuntime(dataDir);
  let client: DynamoDBDocumentClient;
  let close = async () => {};
  if (running) {
    client = localDynamoClient(running.dynamoEndpoint);
  } else {
    let dynamo;
    try {
      dynamo = await startLocalDynamo(dataDir);
    } catch (err) {
      throw new Error(
        `Could not open the local data in ${dataDir}: ${(err as Error).message}. ` +
          'If `npm start` is starting up right now, try again in a moment.',
        { cause: err },
      );
    }
    client = localDynamoClient(dynamo.endpoint);
    await ensureCaseTable(client);
    close = () => dynamo.close();
  }
  return {
    cases: new DynamoDbCaseRepository(client, localResources.tableName),
    ledger: new DynamoDbInboundLedger(client, localResources.tableName),
    close,
  };
}
