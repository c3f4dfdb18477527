import { BatchGetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseId } from '../../domain/case-id';
import type { ThreadIndex } from '../../ports/thread-index';
import { keys } from './table-layout';

/** Only the newest references are looked up: a long thread names the case in any of them. */
const MAX_LOOKUP = 20;

export class DynamoDbThreadIndex implements ThreadIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordSent(messageIdHeader: string, caseId: CaseId): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.sentMessage(messageIdHeader), caseId },
      }),
    );
  }

  async findCase(messageIdHeaders: string[]): Promise<CaseId | undefined> {
    const wanted = [...new Set(messageIdHeaders)].slice(-MAX_LOOKUP);
    if (!wanted.length) return undefined;
    const result = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: wanted.map((id) => keys.sentMessage(id)) } },
      }),
    );
    const found = result.Responses?.[this.tableName] ?? [];
    for (const id of [...wanted].reverse()) {
      const hit = found.find((item) => item.pk === keys.sentMessage(id).pk);
      if (hit?.caseId) return hit.caseId as CaseId;
    }
    return undefined;
  }
}
