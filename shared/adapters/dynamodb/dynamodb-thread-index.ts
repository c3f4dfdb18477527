import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CaseId } from '../../cases/case-id';
import type {
  ReplyParty,
  SentMail,
  SentRecord,
  SentTo,
  ThreadIndex,
} from '../../cases/thread-index';
import { batchGetAll, batchWriteAll } from './limits/batch-requests';
import { fitsKey } from './limits/key-limits';
import { readItem, replyTokenItem, sentItem } from './stored-items';
import { keys } from './table-layout';

/** Only the newest references are looked up: a long thread names the case in any of them. */
const MAX_LOOKUP = 20;

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
    deliveredAs?: string,
  ): Promise<void> {
    const item = (id: string) => ({
      ...keys.sentMessage(id),
      caseId,
      sentAt: at,
      sentToParty: sentTo.party,
      sentToAddress: sentTo.address.toLowerCase(),
    });
    const own = { ...item(messageIdHeader), ...(deliveredAs ? { deliveredAs } : {}) };
    const other = deliveredAs && item(deliveredAs);
    // One request for both (the ids are two keys): a retry that finds Embargo's own id recorded
    // sends nothing but records the one SES gave again (MailDispatcher), so neither can be lost.
    // A retry rewrites the same facts, or those of the mail sent again after a crash.
    await batchWriteAll(
      this.client,
      this.tableName,
      other && other.pk !== own.pk ? [other, own] : [own],
    );
  }

  async sent(messageIdHeader: string): Promise<SentRecord | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.sentMessage(messageIdHeader),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const item = readItem(sentItem, result.Item);
    // Entries from before sends were recorded here carry no time; the outbox ledger has it.
    if (!item.sentAt) return undefined;
    return {
      sentAt: item.sentAt,
      ...(item.deliveredAs !== undefined ? { deliveredAs: item.deliveredAs } : {}),
    };
  }

  async findSent(messageIdHeaders: string[]): Promise<SentMail[]> {
    // An id too long for a key was never recorded (Embargo's and SES's ids are short), and asking
    // for it would fail the whole request on DynamoDB's key-size limit.
    const wanted = [...new Set(messageIdHeaders)]
      .filter((id) => fitsKey(keys.sentMessage(id)))
      .slice(-MAX_LOOKUP);
    if (!wanted.length) return [];
    const unique = new Map(wanted.map((id) => [keys.sentMessage(id).pk, id]));
    const found = await batchGetAll(
      this.client,
      this.tableName,
      [...unique.keys()].map((pk) => ({ pk, sk: 'SENT' })),
    );
    const sent: SentMail[] = [];
    for (const id of [...wanted].reverse()) {
      const stored = found.find((item) => item.pk === keys.sentMessage(id).pk);
      if (!stored) continue;
      const hit = readItem(sentItem, stored);
      const { sentToParty: party, sentToAddress: address } = hit;
      sent.push({
        messageIdHeader: id,
        caseId: hit.caseId,
        // Items written before recipients were recorded have neither attribute: party unknown.
        ...(party && address !== undefined ? { sentTo: { party, address } } : {}),
      });
    }
    return sent;
  }

  async findByLegacyReplyToken(token: string): Promise<ReplyParty | undefined> {
    if (!fitsKey(keys.replyToken(token))) return undefined;
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.replyToken(token) }),
    );
    if (!result.Item) return undefined;
    const { caseId, party, address } = readItem(replyTokenItem, result.Item);
    return party === 'maintainer' && address !== undefined
      ? { caseId, party: 'maintainer', address }
      : { caseId, party: 'reporter' };
  }
}
