import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { resolvedMaintainer } from '../support/local-project';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { MAIL_ATTACHMENT_BUDGET_BYTES } from '../../shared/outbound/oversized-attachments';

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

  it("leaves out of the advance notice the patches that would take it over SES's size limit, and says how to get them", async () => {
    const disclosureAt = new Date(Date.now() + 10 * DAY).toISOString();
    const id = await newCase({ advisory: 'The parser overflows.', disclosureAt });
    const small = Buffer.from('--- a/parser.c\n+++ b/parser.c\n@@ -1 +1 @@\n-x\n+y\n');
    const big = Buffer.from(
      `--- a/big.c\n+++ b/big.c\n${'+ line\n'.repeat(MAIL_ATTACHMENT_BUDGET_BYTES / 7 + 1000)}`,
    );
    const patches = [
      { filename: 'fix.patch', key: `${id}/patches/a-fix.patch`, content: small },
      { filename: 'huge.patch', key: `${id}/patches/b-huge.patch`, content: big },
    ];
    for (const p of patches) await services.files.put(p.key, p.content, 'text/x-diff');
    await services.cases.update(id, () => ({
      fields: {
        patches: patches.map((p) => ({
          filename: p.filename,
          key: p.key,
          sha256: 'f'.repeat(64),
          bytes: p.content.length,
        })),
      },
      events: [],
    }));
    const armored = pgpFixture('debian-public.asc').toString();
    const key = await services.crypto.inspectKey(armored);
    if (!key.usable) throw new Error(key.problem);
    await services.distributors.put({
      email: 'security@debian.example',
      name: 'Debian',
      publicKeyArmored: armored,
      fingerprint: key.fingerprint,
      addedAt: '2026-11-25T00:00:00Z',
    });
    expect((await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt })).kind).toBe(
      'sent',
    );
    const mails = await readMaildir(stores.outboxDir);
    const toDebian = mails.find((m) => m.deliveredTo === 'security@debian.example')!;
    const opened = await openPgpMime(
      new GnuPg(['debian-secret.asc', 'project-public.asc']),
      toDebian,
    );
    if ('error' in opened) throw new Error(opened.error);
    // The patch that fits, and the TLP:AMBER CSAF copy every advance notice carries.
    // Nodemailer adds the calendar invite as an alternative and as invite.ics beside the files.
    const files = opened.inner.attachments.filter(
      (a) => a.contentType !== 'text/calendar' && a.filename !== 'invite.ics',
    );
    expect(files.map((a) => a.filename)).toEqual([
      'fix.patch',
      expect.stringMatching(/\.tlp-amber\.csaf\.json$/),
    ]);
    expect(opened.inner.text).toContain('Not attached');
    expect(opened.inner.text).toContain('huge.patch');
    expect(opened.inner.text).toContain('Reply to this mail');
    const summary = mails.find(
      (m) => m.deliveredTo === 'mia@example.org' && m.subject.includes('Advance notice sent'),
    )!;
    const forMia = await openPgpMime(new GnuPg(['mia-secret.asc', 'project-public.asc']), summary);
    if ('error' in forMia) throw new Error(forMia.error);
    expect(forMia.inner.text).toContain(`npx embargo file ${id} ${id}/patches/b-huge.patch`);
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
