import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { resolvedMaintainer } from '../support/local-project';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

describe('notices: what holds them back', () => {
  let stores: Stores;
  let services: EmbargoServices;
  let n = 0;

  beforeEach(async () => {
    stores = await startStores();
    services = stores.services({ config });
  });
  afterEach(() => stores.stop());

  async function newCase(fields: { advisory?: string; disclosureAt?: string } = {}) {
    n += 1;
    const id = `SEC-2026-${String(n).padStart(4, '0')}` as CaseId;
    await services.cases.createIfAbsent(caseRecord(id, fields));
    return id;
  }

  const subjects = async (to: string) =>
    (await readMaildir(stores.outboxDir))
      .filter((m) => m.deliveredTo === to)
      .map((m) => m.subject ?? '');

  it('skips a distributor whose key cannot be used, and tells the maintainers', async () => {
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    const id = await newCase({ advisory: 'The parser overflows.', disclosureAt });
    await services.distributors.put({
      email: 'ops@distro.example',
      name: 'SignOnly',
      publicKeyArmored: pgpFixture('signonly-public.asc').toString(),
      fingerprint: 'X',
      addedAt: '2026-11-25T00:00:00Z',
    });
    expect(await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt })).toEqual({
      kind: 'sent',
      notice: 'advance',
      recipients: 0,
    });
    expect(await subjects('ops@distro.example')).toEqual([]);
    const record = await services.cases.get(id);
    expect(record?.history.at(-1)?.summary).toContain('1 skipped (unusable key)');
    expect(
      (await subjects('mia@example.org')).some((s) =>
        s.includes('Advance notice sent to 0 distributors'),
      ),
    ).toBe(true);
  });

  it('holds a notice while the case has no advisory, says so once, and sends it when fired after the text is set', async () => {
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    const id = await newCase({ disclosureAt });
    const trigger = { caseId: id, kind: 'advance', disclosureAt } as const;
    expect((await services.notices.fire(trigger)).kind).toBe('blocked');
    expect((await services.notices.fire(trigger)).kind).toBe('blocked');
    expect((await subjects('mia@example.org')).filter((s) => s.includes('NOT sent'))).toHaveLength(
      1,
    );
    await services.cases.update(id, () => ({ fields: { advisory: 'Now written.' }, events: [] }));
    expect((await services.notices.fire(trigger)).kind).toBe('sent');
  });

  it('does nothing for a trigger whose date the case no longer has, or for a closed case', async () => {
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    const id = await newCase({ advisory: 'x', disclosureAt });
    const stale = {
      caseId: id,
      kind: 'disclosure',
      disclosureAt: new Date(Date.now() + 5 * DAY).toISOString(),
    } as const;
    expect(await services.notices.fire(stale)).toEqual({
      kind: 'skipped',
      reason: 'the disclosure date has changed since this was scheduled',
    });
    await services.cases.update(id, () => ({ fields: { status: 'closed' }, events: [] }));
    expect(
      (await services.notices.fire({ caseId: id, kind: 'disclosure', disclosureAt })).kind,
    ).toBe('skipped');
    expect(await subjects('announce@example.org')).toEqual([]);
  });
});
