import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { plainReport } from '../../bench/support/report-messages';
import { benchConfig } from '../../bench/support/bench-support';
import { keys } from '../../shared/adapters/dynamodb/table-layout';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { localResources } from '../../infra/local/local-settings';
import { localDynamoClient } from '../../infra/local/stores/local-dynamodb';
import { startStores, type Stores } from '../support/local-stores';

/**
 * Duplicate detection runs for every new report and compares it with every case: it must read
 * only what it compares (shared/cases/compared-case.ts). Reading whole cases, histories and all,
 * made the burst seven times slower (docs/benchmarks.md). Here the earlier case's history is
 * gone from the real local DynamoDB: a read of the whole case fails its check, so the report
 * is flagged only if intake reads just the compared fields.
 */
describe('duplicate detection at intake', () => {
  let stores: Stores;
  beforeAll(async () => {
    stores = await startStores();
  });
  afterAll(() => stores.stop());

  async function receive(n: number) {
    const services = stores.services({ config: benchConfig() });
    const report = plainReport(n, 'compared');
    const messageId = `compared-${n}`;
    await services.rawMail.put(messageId, report.raw);
    const delivery: MailDelivery = {
      messageId,
      receivedAt: new Date(),
      envelopeFrom: report.from,
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    };
    const outcome = await services.intake.receive(delivery);
    if (outcome.kind !== 'case') throw new Error(`report ${n}: ${outcome.kind}`);
    return outcome.caseId;
  }

  it('reads only the compared fields of earlier cases, not their histories', async () => {
    const client = localDynamoClient(stores.dynamoEndpoint);
    const table = localResources.tableName;
    const earlier = await receive(1);
    await client.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.case(earlier),
        UpdateExpression: 'REMOVE history',
      }),
    );
    // The full read would fail on it (checked as every case read is).
    await expect(stores.services().cases.get(earlier)).rejects.toThrow(/history: /);

    const later = await receive(2);
    const { Item } = await client.send(new GetCommand({ TableName: table, Key: keys.case(later) }));
    expect(Item?.possibleDuplicates).toEqual([expect.objectContaining({ caseId: earlier })]);
  });
});
