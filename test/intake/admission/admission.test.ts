import { DynamoDbAdmissionCounters } from '../../../shared/adapters/dynamodb/flood/dynamodb-admission-counters';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import { ADMISSION_WINDOW_MS, Admission } from '../../../shared/intake/admission/admission';
import { localResources } from '../../../infra/local/local-settings';
import { resolvedMaintainer } from '../../support/local-project';
import { startStores, testConfig, type Stores } from '../../support/local-stores';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const WINDOW_END = new Date(NOW.getTime() + ADMISSION_WINDOW_MS).toISOString();
const config: EmbargoConfig = {
  ...testConfig,
  maintainers: [resolvedMaintainer('mia')],
  flood: {
    ...testConfig.flood,
    reportsPerAddress: 2,
    reportsPerDomain: 3,
    followUpsPerAddress: 3,
    followUpsPerDomain: 10,
  },
};

/** Admission on the real DynamoDB counters (dynalite). */
describe('Admission', () => {
  let stores: Stores;
  let admission: Admission;
  let n = 0;
  const admit = (sender: string, category: 'report' | 'follow-up' = 'report', id = `m-${++n}`) =>
    admission.admit(sender, category, id, NOW);

  beforeAll(async () => {
    stores = await startStores();
    admission = new Admission({
      config,
      counters: new DynamoDbAdmissionCounters(stores.dynamoClient, localResources.tableName),
    });
  });
  afterAll(() => stores?.stop());

  it("refuses a sender's reports over the address limit, and gives the first refused the notice", async () => {
    expect(await admit('alice@one.example')).toEqual({ admitted: true });
    expect(await admit('Alice@ONE.example')).toEqual({ admitted: true });
    const refused = {
      admitted: false,
      scope: 'address',
      category: 'report',
      counter: 'report#address#alice@one.example',
      windowEnd: WINDOW_END,
    };
    expect(await admit('alice@one.example')).toEqual({ ...refused, notify: true });
    expect(await admit('alice@one.example')).toEqual({ ...refused, notify: false });
  });

  it('counts a retried delivery once', async () => {
    expect(await admit('bob@two.example', 'report', 'same')).toEqual({ admitted: true });
    expect(await admit('bob@two.example', 'report', 'same')).toEqual({ admitted: true });
    expect(await admit('bob@two.example', 'report', 'other')).toEqual({ admitted: true });
  });

  it("refuses a domain's senders together once the domain limit is reached", async () => {
    for (const sender of ['a@three.example', 'b@three.example', 'c@three.example'])
      expect(await admit(sender)).toEqual({ admitted: true });
    expect(await admit('d@three.example')).toEqual({
      admitted: false,
      scope: 'domain',
      category: 'report',
      counter: 'report#domain#three.example',
      windowEnd: WINDOW_END,
      notify: true,
    });
  });

  it('counts follow-ups apart from reports, with their own limits', async () => {
    expect(await admit('carol@four.example')).toEqual({ admitted: true });
    expect(await admit('carol@four.example')).toEqual({ admitted: true });
    expect(await admit('carol@four.example')).toMatchObject({ admitted: false });
    for (let i = 0; i < 3; i++)
      expect(await admit('carol@four.example', 'follow-up')).toEqual({ admitted: true });
    expect(await admit('carol@four.example', 'follow-up')).toMatchObject({
      admitted: false,
      scope: 'address',
      category: 'follow-up',
      counter: 'follow-up#address#carol@four.example',
    });
  });

  it('counts a sender without a domain by address only', async () => {
    for (let i = 0; i < 2; i++) expect(await admit('postmaster')).toEqual({ admitted: true });
    expect(await admit('postmaster')).toMatchObject({
      admitted: false,
      scope: 'address',
      counter: 'report#address#postmaster',
    });
  });

  it("knows a maintainer's address in any case, and nobody else's", () => {
    expect(admission.isMaintainerAddress('MIA@example.org')).toBe(true);
    expect(admission.isMaintainerAddress('mia@example.org.evil.example')).toBe(false);
    expect(admission.isMaintainerAddress('max@example.org')).toBe(false);
  });
});
