import { parseCommands } from '../../shared/commands/case-commands';
import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { formatUtc } from '../../shared/time/utc-text';
import { caseRecord } from '../support/case-builder';
import { resolvedMaintainer } from '../support/local-project';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
const DEBIAN = 'security@debian.example';
const REPORTER = 'alice@example.net';
const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };
/** Midnight UTC, `days` from now: a date as `/disclose` takes it. */
const dateIn = (days: number) =>
  new Date(Math.floor((Date.now() + days * DAY) / DAY) * DAY).toISOString();

/**
 * Issue 25 ("When the date moves, every recipient knows before the old date"): after the
 * advance notice for D, a later date was told at new D − N (after D), and D → D+1 → D told
 * nothing, since the notice mails were keyed by the date alone. Real stores and outbox.
 */
describe('a disclosure date that moves after recipients were told (issue 25)', () => {
  let stores: Stores;
  let services: EmbargoServices;
  let n = 0;

  beforeAll(async () => {
    stores = await startStores();
    services = stores.services({ config });
    const armored = pgpFixture('debian-public.asc').toString();
    const key = await services.crypto.inspectKey(armored);
    if (!key.usable) throw new Error(key.problem);
    await services.distributors.put({
      email: DEBIAN,
      name: 'Debian',
      publicKeyArmored: armored,
      fingerprint: key.fingerprint,
      addedAt: '2026-11-25T00:00:00Z',
    });
  });
  afterAll(() => stores.stop());

  async function newCase(): Promise<CaseId> {
    n += 1;
    const id = `SEC-2026-${String(n).padStart(4, '0')}` as CaseId;
    await services.cases.createIfAbsent(
      caseRecord(id, {
        acknowledgedAt: new Date().toISOString(),
        title: 'Heap overflow',
        advisory: 'The parser overflows.',
      }),
    );
    return id;
  }

  async function command(id: CaseId, line: string, sourceId = `cli-${line}-${Math.random()}`) {
    const parsed = parseCommands(line, new Date());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const record = (await services.cases.get(id))!;
    return services.commands.apply(record, parsed, {
      id: sourceId,
      at: new Date().toISOString(),
      actor: 'cli',
      who: 'The admin CLI (test)',
      authentication: { method: 'cli', caller: 'test' },
    });
  }

  /** The subjects of the mails about this case that `to` received (in no order). */
  async function told(id: CaseId, to: string): Promise<string[]> {
    return (await readMaildir(stores.outboxDir))
      .filter((m) => m.deliveredTo === to && (m.subject ?? '').includes(`[${id}]`))
      .map((m) => m.subject ?? '');
  }

  async function fireAdvance(id: CaseId) {
    const record = (await services.cases.get(id))!;
    return services.notices.fire({
      caseId: id,
      kind: 'advance',
      disclosureAt: record.disclosureAt!,
    });
  }

  it('sends the updated notice at once when the date moves later, not at the new date minus the notice period', async () => {
    const id = await newCase();
    const first = dateIn(30);
    await command(id, `/disclose ${first}`);
    expect(await told(id, DEBIAN)).toEqual([]);
    expect((await fireAdvance(id)).kind).toBe('sent');
    expect(await told(id, DEBIAN)).toHaveLength(1);

    const later = dateIn(60);
    await command(id, `/disclose ${later}`);
    const debian = await told(id, DEBIAN);
    expect(debian).toHaveLength(2);
    expect(debian.filter((s) => s.includes('Updated advance notice'))).toEqual([
      expect.stringContaining(formatUtc(later)),
    ]);
    const reporter = await told(id, REPORTER);
    expect(reporter.filter((s) => s.includes(formatUtc(later)))).toHaveLength(1);
    // Nothing left to send at new D − N.
    const record = (await services.cases.get(id))!;
    expect(
      record.history.filter((e) => e.summary.includes('updated advance notice sent now')),
    ).toHaveLength(1);
  });

  it('tells everyone again when the date moves out and back (D → D+1 → D), and a retried block sends nothing twice', async () => {
    const id = await newCase();
    const d = dateIn(30);
    await command(id, `/disclose ${d}`);
    await fireAdvance(id);
    await command(id, `/disclose ${dateIn(31)}`);
    await command(id, `/disclose ${d}`, 'back-to-d');
    const debian = await told(id, DEBIAN);
    expect(debian).toHaveLength(3);
    expect(debian.filter((s) => s.includes(formatUtc(d)))).toHaveLength(2);
    const reporter = await told(id, REPORTER);
    expect(reporter.filter((s) => s.includes(formatUtc(d)))).toHaveLength(2);

    // The same block again (an intake retry), and the scheduler's advance trigger: no new mail.
    await command(id, `/disclose ${d}`, 'back-to-d');
    await fireAdvance(id);
    expect(await told(id, DEBIAN)).toHaveLength(3);
  });

  it('schedules the first notice at D − N as before when nobody was told yet, even after date changes', async () => {
    const id = await newCase();
    await command(id, `/disclose ${dateIn(30)}`);
    await command(id, `/disclose ${dateIn(40)}`);
    expect(await told(id, DEBIAN)).toEqual([]);
    const record = (await services.cases.get(id))!;
    expect(record.history.at(-1)?.summary).toContain('advance notice scheduled for');
  });
});
