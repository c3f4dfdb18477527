import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CiphertextLedger } from '../../intake/ciphertext-ledger';
import { claimOnce } from './conditional-claim';
import { keys } from './table-layout';

export class DynamoDbCiphertextLedger implements CiphertextLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  claim(fingerprint: string, messageId: string): Promise<string> {
    return claimOnce(this.client, this.tableName, keys.ciphertext(fingerprint), messageId);
  }
}
