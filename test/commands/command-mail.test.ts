import { simpleParser } from 'mailparser';
import type { CaseId } from '../../shared/cases/case-id';
import { parseCommands } from '../../shared/commands/case-commands';
import { mailEffectLines, type MailEffect } from '../../shared/commands/command-effects';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { GnuPg, pgpMimePayload } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
const DEBIAN = 'security@debian.example';
const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

/**
 * The case: `/disclose` with a date inside the advance period while the case has no
 * advisory text, then `/advisory`. What each command says it sends is checked against the outbox.
 */
describe('commands say every mail they cause', () => {
  let stores: Stores;
  let services: EmbargoServices;
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  const id = 'SEC-2026-0001' as CaseId;
  const disclosureAt = new Date(Date.now() + 3 * DAY).toISOString().slice(0, 10);
  let n = 0;

  beforeAll(async () => {
    stores = await startStores();
    services = stores.services({ config });
    await services.cases.createIfAbsent(caseRecord(id));
    await services.distributors.put({
      email: DEBIAN,
      name: 'Debian',
      publicKeyArmored: pgpFixture('debian-public.asc').toString(),
      fingerprint: 'X',
      addedAt: '2026-11-25T00:00:00Z',
    });
  });
  afterAll(async () => {
    mia.close();
    await stores.stop();
  });

  const block = (...lines: string[]) => {
    const parsed = parseCommands(lines.join('\n'), new Date());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed;
  };
  const run = async (...lines: string[]) => {
    n += 1;
    const now = new Date().toISOString();
    return services.commands.apply((await services.cases.get(id))!, block(...lines), {
      id: `cli-test-${n}`,
      at: now,
      actor: 'cli',
      who: 'The admin CLI (test)',
      authentication: { method: 'cli', caller: 'test' },
    });
  };
  const delivered = async (to: string) =>
    (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === to);
  const lines = (mail: MailEffect[]) => mailEffectLines(mail).join('\n');

  it('a dry run says the advance notice is held for the advisory text, and changes and sends nothing', async () => {
    const before = await services.cases.get(id);
    const preview = await services.commands.preview(
      before!,
      block(`/disclose ${disclosureAt}`),
      {},
    );
    expect(preview.changes).toEqual([expect.stringMatching(/^disclosure date: \(unset\) → /)]);
    expect(lines(preview.mail)).toMatch(
      /held +the advance notice to 1 distributor \(Debian\), each encrypted to its own key \(due since .*, 7 days before\): the case has no advisory text yet/,
    );
    expect(preview.warnings.join('\n')).toContain('it is held until the case has advisory text');
    expect(preview.warnings.join('\n')).not.toContain('goes out now');
    expect(await services.cases.get(id)).toEqual(before);
    expect(await readMaildir(stores.outboxDir)).toEqual([]);
  });

  it('/disclose says what it holds, and sends the distributor nothing', async () => {
    const applied = await run(`/disclose ${disclosureAt}`);
    const said = lines(applied.mail);
    expect(said).toMatch(/held +the advance notice to 1 distributor \(Debian\)/);
    expect(said).toMatch(/sent now +"The advance notice was NOT sent" to 1 maintainer/);
    expect(said).toMatch(/sent now +the confirmation of these changes to 1 maintainer/);
    expect(said).toMatch(/scheduled +the public notice to announce@example\.org on /);
    expect(await delivered(DEBIAN)).toEqual([]);
    expect(await delivered('alice@example.net')).toEqual([]);
    const subjects = (await delivered('mia@example.org')).map((m) => m.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        `[${id}] Commands applied`,
        `[${id}] The advance notice was NOT sent`,
      ]),
    );
  });

  it('/advisory says that the advance notice goes out now and the reporter is told the date; the outbox agrees', async () => {
    const applied = await run('/advisory', 'The parser overflows a fixed buffer.');
    const said = lines(applied.mail);
    expect(said).toMatch(/sent now +the advance notice to 1 distributor \(Debian\)/);
    expect(said).toMatch(/sent now +the disclosure date to the reporter, with a calendar invite/);
    expect(said).not.toContain('held');
    expect(await delivered(DEBIAN)).toHaveLength(1);
    expect((await delivered('alice@example.net')).map((m) => m.subject)).toEqual([
      expect.stringContaining('Public disclosure'),
    ]);
    // The maintainers' confirmation says the same, by the distributor's name, not its address.
    const confirmations = (await delivered('mia@example.org')).filter(
      (m) => m.subject === `[${id}] Commands applied`,
    );
    const texts = await Promise.all(
      confirmations.map(async (m) => {
        const result = mia.decrypt(pgpMimePayload(m)!);
        return (await simpleParser(result.plaintext)).text ?? '';
      }),
    );
    const confirmation = texts.find((t) => /^ {2}\/advisory$/m.test(t))!;
    expect(confirmation).toContain('Mail this causes:');
    expect(confirmation).toMatch(/sent now +the advance notice to 1 distributor \(Debian\)/);
    expect(confirmation).not.toContain(DEBIAN);
    expect(confirmation).toMatch(/advisory: \(unset\) → "The parser overflows a fixed buffer\."/);
  });
});
