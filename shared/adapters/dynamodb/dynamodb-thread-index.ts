import {
  BatchGetCommand,
  GetCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { CaseId } from '../../cases/case-id';
import type { ReplyParty, SentMail, SentTo, ThreadIndex } from '../../cases/thread-index';
import { keys } from './table-layout';

/** Only the newest references are looked up: a long thread names the case in any of them. */
const MAX_LOOKUP = 20;
const PARTIES: SentTo['party'][] = ['reporter', 'maintainer', 'other'];

export class DynamoDbThreadIndex implements ThreadIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordSent(
    messageIdHeader: string,
    caseId: CaseId,
    at: string,
    sentTo: SentTo,
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.sentMessage(messageIdHeader),
        UpdateExpression:
          'SET caseId = :c, sentAt = if_not_exists(sentAt, :t), sentToParty = :p, sentToAddress = :a',
        ExpressionAttributeValues: {
          ':c': caseId,
          ':t': at,
          ':p': sentTo.party,
          ':a': sentTo.address.toLowerCase(),
        },
      }),
    );
  }

  async sentAt(messageIdHeader: string): Promise<string | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.sentMessage(messageIdHeader),
        ConsistentRead: true,
      }),
    );
    // Entries from before sends were recorded here carry no time; the outbox ledger has it.
    return result.Item?.sentAt ? String(result.Item.sentAt) : undefined;
  }

  async findSent(messageIdHeaders: string[]): Promise<SentMail[]> {
    const wanted = [...new Set(messageIdHeaders)].slice(-MAX_LOOKUP);
    if (!wanted.length) return [];
    const result = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: wanted.map((id) => keys.sentMessage(id)) } },
      }),
    );
    const found = result.Responses?.[this.tableName] ?? [];
    const sent: SentMail[] = [];
    for (const id of [...wanted].reverse()) {
      const hit = found.find((item) => item.pk === keys.sentMessage(id).pk);
      if (!hit?.caseId) continue;
      const party = PARTIES.find((p) => p === hit.sentToParty);
      sent.push({
        messageIdHeader: id,
        caseId: hit.caseId as CaseId,
        // Items written before recipients were recorded have neither attribute: party unknown.
        ...(party && typeof hit.sentToAddress === 'string'
          ? { sentTo: { party, address: hit.sentToAddress } }
          : {}),
      });
    }
    return sent;
  }

  async findByLegacyReplyToken(token: string): Promise<ReplyParty | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.replyToken(token) }),
    );
    const item = result.Item;
    if (!item?.caseId) return undefined;
    const caseId = item.caseId as CaseId;
    return item.party === 'maintainer'
      ? { caseId, party: 'maintainer', address: String(item.address) }
      : { caseId, party: 'reporter' };
  }
}
