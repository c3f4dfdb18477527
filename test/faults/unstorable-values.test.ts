import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { markUnstorableValues } from '../../shared/adapters/dynamodb/limits/unstorable-values';
import { UnstorableValueError } from '../../shared/errors';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import type { CaseId } from '../../shared/cases/case-id';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import { localResources } from '../../infra/local/local-settings';
import { MAIL_FIELD_LIMITS } from '../../shared/mail/field-limits';
import { resolvedMaintainer } from '../support/local-project';
import { memoryLogger, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };
const LONG_ID = `<${'x'.repeat(3000)}@example.net>`;
let seq = 0;

/**
 * Values in mail that no DynamoDB key or item can hold (its limits: 2,048 bytes of partition
 * key, 1,024 of sort key, 400 KB an item; dynalite enforces them as DynamoDB does). Each ends
 * as an outcome on the first attempt: a retry could never fix it, so it must not reach the
 * dead-letter queue without one.
 */
describe('mail with values too large for the table: an outcome on the first attempt', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  async function deliver(raw: string, overrides: Partial<MailDelivery> = {}) {
    const delivery: MailDelivery = {
      messageId: `unstorable-${++seq}`,
      receivedAt: new Date(),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
      ...overrides,
    };
    await stores.services({ config }).rawMail.put(delivery.messageId, Buffer.from(raw));
    // Exactly one attempt: it must not throw.
    const outcome = await stores.services({ config }).intake.receive(delivery);
    expect((await stores.services({ config }).ledger.get(delivery.messageId))?.outcome).toEqual(
      outcome,
    );
    return outcome;
  }

  it('files a reply whose References holds one 3,000-character Message-ID', async () => {
    const opened = await deliver(rawMessage({ from: 'alice@example.net' }));
    if (opened.kind !== 'case') throw new Error(JSON.stringify(opened));
    const ack = (await readMaildir(stores.outboxDir)).find(
      (m) => m.deliveredTo === 'alice@example.net' && m.subject.includes(opened.caseId),
    )!;
    const ackId = ack.parsed.messageId!;
    const reply = await deliver(
      rawMessage({
        from: 'alice@example.net',
        subject: 'More details',
        headers: { References: `${LONG_ID} ${ackId}`, 'In-Reply-To': LONG_ID },
      }),
    );
    // Found by the acknowledgment's id, which SES gave it; the long one is passed over.
    expect(reply).toEqual({ kind: 'follow-up', caseId: opened.caseId });
  });

  it.each([
    ['its own Message-ID', { messageId: LONG_ID }],
    ['In-Reply-To', { headers: { 'In-Reply-To': LONG_ID } }],
    ['References of 3,000 ids', { headers: { References: Array(3000).fill('<a@b.c>').join(' ') } }],
    ['a 20,000-character subject', { subject: 's'.repeat(20_000) }],
  ])('opens a case for a report with an oversized value in %s', async (_, fields) => {
    const outcome = await deliver(rawMessage({ from: `r${++seq}@example.net`, ...fields }));
    if (outcome.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const record = await stores.services({ config }).cases.get(outcome.caseId as CaseId);
    expect(record!.subject.length).toBeLessThanOrEqual(MAIL_FIELD_LIMITS.subjectChars + 1);
    expect(record!.reportMessageIdHeader ?? '').not.toContain('xxxxxxxxxx');
  });

  it.each([
    ['a 3,000-character reply token', { recipients: [`security+${'t'.repeat(3000)}@example.org`] }],
    ['a 3,000-character envelope sender', { envelopeFrom: `${'e'.repeat(3000)}@example.net` }],
  ])('ends mail with %s as an outcome', async (_, overrides) => {
    const raw = rawMessage({ from: `${'f'.repeat(3000)}@example.net` });
    expect(['case', 'rejected', 'quarantined']).toContain((await deliver(raw, overrides)).kind);
  });

  it('quarantines, on the first attempt, a message whose case the table refuses to store', async () => {
    // Whatever value is not bounded yet: here DynamoDB itself (dynalite) refuses a case item
    // over 400 KB. The request is made larger in the SDK's middleware, so the refusal is
    // dynalite's real one.
    const client = localDynamoClient(stores.dynamoEndpoint);
    inflateCaseItems(client);
    const log = memoryLogger();
    const services = stores.services({ config, log, dynamo: client });
    const delivery: MailDelivery = {
      messageId: 'unstorable-case',
      receivedAt: new Date(),
      envelopeFrom: 'bob@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    await services.rawMail.put(
      delivery.messageId,
      Buffer.from(rawMessage({ from: 'bob@example.net' })),
    );
    expect(await services.intake.receive(delivery)).toEqual({
      kind: 'quarantined',
      reason: 'unstorable',
    });
    expect((await services.ledger.get(delivery.messageId))?.outcome).toEqual({
      kind: 'quarantined',
      reason: 'unstorable',
    });
    expect(log.lines.find((l) => l.event === 'intake.quarantined')).toMatchObject({
      fields: { reason: 'unstorable', detail: expect.stringContaining('maximum allowed size') },
    });
    // A repeat of the event returns the recorded outcome.
    expect(await services.intake.receive(delivery)).toEqual({
      kind: 'quarantined',
      reason: 'unstorable',
    });
  });

  it("turns DynamoDB's refusal of an oversized key into UnstorableValueError", async () => {
    const client = markUnstorableValues(localDynamoClient(stores.dynamoEndpoint));
    await expect(
      client.send(
        new PutCommand({
          TableName: localResources.tableName,
          Item: { pk: 'k'.repeat(2049), sk: 'x' },
        }),
      ),
    ).rejects.toBeInstanceOf(UnstorableValueError);
  });
});

/** Pads every case item written with 401 KB, so that the table refuses it. */
function inflateCaseItems(client: DynamoDBDocumentClient): void {
  const inflated = (item: Record<string, unknown> | undefined) =>
    typeof item?.pk === 'string' && item.pk.startsWith('CASE#')
      ? { ...item, padding: 'p'.repeat(401 * 1024) }
      : item;
  client.middlewareStack.add(
    (next) => async (args) => {
      // A case is written alone (PutItem) or with its id's reservation (TransactWriteItems).
      const input = args.input as {
        Item?: Record<string, unknown>;
        TransactItems?: { Put?: { Item?: Record<string, unknown> } }[];
      };
      if (input.Item) input.Item = inflated(input.Item);
      for (const action of input.TransactItems ?? [])
        if (action.Put) action.Put.Item = inflated(action.Put.Item);
      return next(args);
    },
    { step: 'initialize', name: 'inflateCaseItems' },
  );
}
