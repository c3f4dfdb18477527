import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import { formatUtc } from '../../shared/time/utc-text';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { localResources } from '../../infra/local/local-settings';
import { LocalNoticeScheduler } from '../../infra/local/local-notice-scheduler';
import { caseRecord } from '../support/case-builder';
import { startStores, testConfig, type Stores } from '../support/local-stores';

const DAY = 86_400_000;
const NOW = new Date('2026-12-01T10:00:00.000Z');
const config = {
  ...testConfig,
  advanceNoticeDays: 7,
  urgentNoticeDays: 1,
  distributorReminderDays: 2,
};
const at = (ms: number) => new Date(ms).toISOString();

/**
 * EmbargoPlanner on the real local stores: schedules are read back from the table through the
 * local scheduler (the EventBridge Scheduler stand-in), the case history from the repository.
 */
describe('EmbargoPlanner', () => {
  let stores: Stores;
  let services: EmbargoServices;
  let schedules: LocalNoticeScheduler;
  let n = 0;

  beforeAll(async () => {
    stores = await startStores();
    services = stores.services({ config, clock: { now: () => NOW } });
    schedules = new LocalNoticeScheduler(stores.dynamoClient, localResources.tableName);
  });
  afterAll(() => stores?.stop());

  async function stored(fields: Partial<CaseRecord>): Promise<CaseRecord> {
    n += 1;
    const id = `SEC-2026-${String(n).padStart(4, '0')}` as CaseId;
    await services.cases.createIfAbsent(caseRecord(id, fields));
    return (await services.cases.get(id))!;
  }

  /** This case's pending schedules, by kind: when each fires. */
  async function pendingOf(id: string): Promise<Record<string, string>> {
    return Object.fromEntries(
      (await schedules.pending())
        .filter((s) => s.trigger.caseId === id)
        .map((s) => [s.trigger.kind, s.at]),
    );
  }

  async function scheduleHistory(id: CaseId): Promise<string[]> {
    return (await services.cases.get(id))!.history
      .filter((h) => h.type === 'schedule')
      .map((h) => h.summary);
  }

  it('does nothing for a case without a disclosure date', async () => {
    const record = await stored({});
    await services.planner.sync(record);
    expect(await pendingOf(record.id)).toEqual({});
    expect(await scheduleHistory(record.id)).toEqual([]);
  });

  it('schedules the public notice at D, the advance notice, the reminder and the summary, and says so once', async () => {
    const d = Date.parse('2026-12-31T00:00:00.000Z');
    const record = await stored({ disclosureAt: at(d) });
    await services.planner.sync(record);
    const advance = d - 7 * DAY;
    expect(await pendingOf(record.id)).toEqual({
      disclosure: at(d),
      advance: at(advance),
      'distributor-reminder': at(advance + 2 * DAY),
      'pre-disclosure': at(d - DAY),
    });
    // Syncing again replaces the schedules by name and records nothing twice.
    await services.planner.sync((await services.cases.get(record.id))!);
    expect(Object.keys(await pendingOf(record.id))).toHaveLength(4);
    expect(await scheduleHistory(record.id)).toEqual([
      `Public notice scheduled for ${formatUtc(at(d))}; advance notice scheduled for ${formatUtc(at(advance))} (7 days before)`,
    ]);
  });

  it('uses the urgent advance period for an urgent case', async () => {
    const d = Date.parse('2026-12-20T00:00:00.000Z');
    const record = await stored({ disclosureAt: at(d), urgent: true });
    await services.planner.sync(record);
    expect((await pendingOf(record.id)).advance).toBe(at(d - DAY));
    expect(await scheduleHistory(record.id)).toEqual([
      expect.stringContaining('(1 day before, urgent)'),
    ]);
  });

  it('schedules no advance notice, reminder or summary for an upstream announcement', async () => {
    const d = Date.parse('2026-12-31T00:00:00.000Z');
    const record = await stored({ disclosureAt: at(d), kind: 'upstream' });
    await services.planner.sync(record);
    expect(await pendingOf(record.id)).toEqual({ disclosure: at(d) });
    expect(await scheduleHistory(record.id)).toEqual([
      `Public notice scheduled for ${formatUtc(at(d))}; no advance notice (upstream announcement)`,
    ]);
  });

  it('leaves out a reminder that would come after D and a summary whose time has passed', async () => {
    // D in 20 hours: the advance notice is due now; D − 1 day is already past.
    const d = NOW.getTime() + 20 * 3_600_000;
    const record = await stored({ disclosureAt: at(d) });
    await services.planner.sync(record);
    expect(await pendingOf(record.id)).toEqual({ disclosure: at(d) });
    expect(await scheduleHistory(record.id)).toEqual([
      expect.stringContaining('advance notice due now (7 days before)'),
    ]);
  });

  it('cancels every pending notice when the case closes, and records that', async () => {
    const d = Date.parse('2026-12-31T00:00:00.000Z');
    const record = await stored({ disclosureAt: at(d) });
    await services.planner.sync(record);
    expect(Object.keys(await pendingOf(record.id))).toHaveLength(4);
    const closed = { ...(await services.cases.get(record.id))!, status: 'closed' as const };
    await services.planner.sync(closed);
    expect(await pendingOf(record.id)).toEqual({});
    expect((await scheduleHistory(record.id)).at(-1)).toBe(
      'Case closed: pending notices cancelled',
    );
  });
});
