import type { CaseId } from '../../shared/cases/case-id';
import { parseCommands } from '../../shared/commands/case-commands';
import { mailEffectLines } from '../../shared/commands/command-effects';
import { caseSummaryText } from '../../shared/cases/case-summary';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { resolvedMaintainer } from '../support/local-project';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
const DEBIAN = 'security@debian.example';
const FEDORA = 'secalert@fedora.example';
const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

/** `/distributors` chooses a case's recipients from the list; notices go to them alone. */
describe('who gets a case', () => {
  let stores: Stores;
  let services: EmbargoServices;
  let n = 0;

  beforeEach(async () => {
    stores = await startStores();
    services = stores.services({ config });
    for (const [email, name, key] of [
      [DEBIAN, 'Debian', 'debian-public.asc'],
      [FEDORA, 'Fedora', 'fedora-public.asc'],
    ] as const)
      await services.distributors.put({
        email,
        name,
        publicKeyArmored: pgpFixture(key).toString(),
        fingerprint: 'X',
        addedAt: '2026-11-25T00:00:00Z',
      });
  });
  afterEach(() => stores.stop());

  const run = async (id: CaseId, ...lines: string[]) => {
    n += 1;
    const parsed = parseCommands(lines.join('\n'), new Date());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return services.commands.apply((await services.cases.get(id))!, parsed, {
      id: `cli-test-${n}`,
      at: new Date().toISOString(),
      actor: 'cli',
      who: 'The admin CLI (test)',
      authentication: { method: 'cli', caller: 'test' },
    });
  };
  const delivered = async (to: string) =>
    (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === to);

  it('sends the advance notice only to the distributors chosen, and records each on the case', async () => {
    const id = 'SEC-2026-0001' as CaseId;
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    await services.cases.createIfAbsent(caseRecord(id, { advisory: 'Overflow.', disclosureAt }));
    const applied = await run(id, '/distributors fedora');
    expect(applied.changes).toEqual(['distributors: the whole list → Fedora']);
    expect(mailEffectLines(applied.mail).join('\n')).toMatch(
      /the advance notice to 1 distributor \(Fedora\), each encrypted to its own key/,
    );
    const confirmation = (await delivered('mia@example.org')).at(-1)!;
    expect(confirmation.subject).toContain('Commands applied');
    expect(caseSummaryText((await services.cases.get(id))!)).toMatch(/Distributors +Fedora/);

    await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt });
    expect(await delivered(DEBIAN)).toEqual([]);
    expect(await delivered(FEDORA)).toHaveLength(1);
    const record = (await services.cases.get(id))!;
    expect(record.recipients).toEqual([
      {
        address: FEDORA,
        name: 'Fedora',
        noticeSent: { at: expect.any(String), round: disclosureAt },
      },
    ]);
  });

  it('refuses a name that is not on the list, names those that are, and changes nothing', async () => {
    const id = 'SEC-2026-0002' as CaseId;
    await services.cases.createIfAbsent(caseRecord(id));
    const before = await services.cases.get(id);
    const applied = await run(id, '/severity high', '/distributors Debian, Gentoo');
    expect(applied.refused).toBe(
      '"Gentoo" is not on the distributor list; the list has Debian, Fedora',
    );
    const after = (await services.cases.get(id))!;
    expect(after.severity).toBeUndefined();
    expect(after.distributorSelection).toBeUndefined();
    expect(after.history.length).toBe(before!.history.length + 1);
    expect(after.history.at(-1)!.type).toBe('commands-refused');
  });

  it('goes back to the whole list with /distributors all', async () => {
    const id = 'SEC-2026-0003' as CaseId;
    await services.cases.createIfAbsent(caseRecord(id));
    await run(id, '/distributors Debian');
    const applied = await run(id, '/distributors all');
    expect(applied.changes).toEqual(['distributors: Debian → the whole list']);
    expect((await services.cases.get(id))!.distributorSelection).toBeUndefined();
  });

  it('sends the notice at once to a distributor chosen after it went out, and tells the maintainers', async () => {
    const id = 'SEC-2026-0004' as CaseId;
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    await services.cases.createIfAbsent(caseRecord(id, { advisory: 'Overflow.', disclosureAt }));
    await run(id, '/distributors Debian');
    await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt });
    expect(await delivered(DEBIAN)).toHaveLength(1);

    const applied = await run(id, '/distributors Debian, Fedora');
    expect(mailEffectLines(applied.mail).join('\n')).toMatch(
      /sent now +the advance notice to Fedora \(chosen after this date's notice went out\)/,
    );
    // Fedora has it now, not at a new date; Debian and the reporter get nothing again.
    expect(await delivered(FEDORA)).toHaveLength(1);
    expect(await delivered(DEBIAN)).toHaveLength(1);
    const record = (await services.cases.get(id))!;
    expect(record.recipients?.map((r) => [r.name, r.noticeSent?.round])).toEqual([
      ['Debian', disclosureAt],
      ['Fedora', disclosureAt],
    ]);
    // The Maildir's order is not the order of delivery: the note is found by its subject.
    const late = /Advance notice sent to 1 distributor chosen after the notice went out/;
    const notes = async () =>
      (await delivered('mia@example.org')).filter((m) => late.test(m.subject ?? ''));
    expect(await notes()).toHaveLength(1);
    expect(record.history.filter((e) => e.type === 'advance-notice')).toHaveLength(2);

    // Nothing more on a later change or a repeated trigger.
    await run(id, '/note checked');
    await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt });
    expect(await delivered(FEDORA)).toHaveLength(1);
    expect(await delivered(DEBIAN)).toHaveLength(1);
    expect(await notes()).toHaveLength(1);
  });
});
