import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { noticesHandler } from '../../functions/notices';
import { sendingEventsHandler } from '../../functions/sending-events';
import { localResources } from '../../infra/local/local-settings';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { resolvedMaintainer } from '../support/local-project';
import { memoryLogger, startStores, testConfig, type Stores } from '../support/local-stores';
import { headerOf, readMaildir } from '../support/maildir';
import { bounceRecord, snsEvent } from '../support/ses-notifications';
import { rawMessage } from '../support/smtp-client';

const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };
const DAY = 86_400_000;
const refusedUnstorable = expect.objectContaining({ kind: 'refused', code: 'VALUE_UNSTORABLE' });

/**
 * Input no retry can change, in the functions besides intake: each ends as a logged refusal on
 * the first attempt instead of two more runs and the dead-letter queue. The fault is real: the
 * case item is filled up to DynamoDB's 400 KB (dynalite enforces it, as DynamoDB does), so that
 * the event the function appends is refused by the table itself.
 */
describe('functions refuse, on the first attempt, input that no retry can store', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  /** Pads the stored case with the largest filler the table still takes (to 64 bytes). */
  async function fillToTheLimit(id: string): Promise<void> {
    const client = localDynamoClient(stores.dynamoEndpoint);
    const Key = { pk: `CASE#${id}`, sk: 'CASE' };
    const { Item } = await client.send(
      new GetCommand({ TableName: localResources.tableName, Key }),
    );
    const fits = (n: number) =>
      client
        .send(
          new PutCommand({
            TableName: localResources.tableName,
            Item: { ...Item, filler: 'f'.repeat(n) },
          }),
        )
        .then(
          () => true,
          () => false,
        );
    let [low, high] = [0, 400 * 1024];
    while (high - low > 64) {
      const mid = Math.floor((low + high) / 2);
      if (await fits(mid)) low = mid;
      else high = mid;
    }
    expect(await fits(low)).toBe(true);
    client.destroy();
  }

  it('the sending-events function refuses a bounce its full case cannot store', async () => {
    const log = memoryLogger();
    const services = stores.services({ config, log });
    const messageId = randomBytes(10).toString('hex');
    await services.rawMail.put(messageId, Buffer.from(rawMessage({ from: 'alice@example.net' })));
    await services.intake.receive({
      messageId,
      receivedAt: new Date(),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    });
    const [record] = await services.cases.list();
    const ack = (await readMaildir(stores.outboxDir)).find(
      (m) => m.deliveredTo === 'alice@example.net',
    )!;
    await fillToTheLimit(record!.id);

    const handler = sendingEventsHandler(() => services, log);
    const event = snsEvent(
      bounceRecord({
        messageIdHeader: headerOf(ack, 'message-id')!,
        recipient: 'alice@example.net',
      }),
    );
    expect(await handler(event)).toEqual([refusedUnstorable]);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        event: 'function.input-refused',
        fields: expect.objectContaining({
          function: 'sending-events',
          record: 0,
          code: 'VALUE_UNSTORABLE',
          reason: expect.stringContaining('maximum allowed size'),
        }),
      }),
    );
    // SNS delivering it again: refused again, nothing thrown.
    expect(await handler(event)).toEqual([refusedUnstorable]);
  });

  it('the notices function refuses a notice its full case cannot store', async () => {
    const log = memoryLogger();
    const services: EmbargoServices = stores.services({ config, log });
    const id = 'SEC-2027-0001' as CaseId;
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    await services.cases.createIfAbsent(
      caseRecord(id, {
        reporter: { address: 'reporter@example.net' },
        acknowledgedAt: new Date().toISOString(),
        title: 'Heap overflow',
        advisory: 'The parser overflows.',
        disclosureAt,
      }),
    );
    await fillToTheLimit(id);
    const handler = noticesHandler(() => services, log);
    const trigger = { caseId: id, kind: 'advance', disclosureAt };
    expect(await handler(trigger)).toEqual(refusedUnstorable);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        event: 'function.input-refused',
        fields: expect.objectContaining({ function: 'notices', code: 'VALUE_UNSTORABLE' }),
      }),
    );
  });

  it('the notices function refuses a trigger in the wrong shape', async () => {
    const log = memoryLogger();
    const handler = noticesHandler(() => stores.services({ config, log }), log);
    expect(await handler({ caseId: 'SEC-2027-0001', kind: 'advance' })).toEqual(
      expect.objectContaining({ kind: 'refused', code: 'EVENT_INVALID' }),
    );
  });
});
