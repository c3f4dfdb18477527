import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReplayGuard } from '../../commands/replay-guard';
import { claimOnce } from './conditional-claim';
import { keys } from './table-layout';

export class DynamoDbReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  claimSignature(signatureId: string, messageId: string): Promise<string> {
    return claimOnce(this.client, this.tableName, keys.signature(signatureId), messageId);
  }
}
