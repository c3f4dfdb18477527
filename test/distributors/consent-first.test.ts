import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { applyRecipientEvent, recipientOf } from '../../shared/distributors/recipient-events';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const DAY = 86_400_000;
const DEBIAN = 'security@debian.example';
const FEDORA = 'secalert@fedora.example';
const debian = { email: DEBIAN, name: 'Debian' };
const ADVISORY = 'SECRET-DETAILS: the header parser overflows.';

/** `distributorConsent: "before-details"`: an invitation first, details only after /accept. */
describe('consent first', () => {
  let stores: Stores;
  let services: EmbargoServices;
  const reader = new GnuPg(['debian-secret.asc', 'project-public.asc']);
  let now = new Date();
  const config: EmbargoConfig = {
    ...testConfig,
    maintainers: [resolvedMaintainer('mia')],
    distributorConsent: 'before-details',
    invitationWindowDays: 3,
  };

  beforeEach(async () => {
    now = new Date();
    stores = await startStores();
    services = stores.services({ config, clock: { now: () => now } });
    await services.distributors.put({
      email: DEBIAN,
      name: 'Debian',
      publicKeyArmored: pgpFixture('debian-public.asc').toString(),
      fingerprint: 'X',
      addedAt: '2026-11-25T00:00:00Z',
    });
    // Fedora's own setting overrides the project's: details with the notice.
    await services.distributors.put({
      email: FEDORA,
      name: 'Fedora',
      publicKeyArmored: pgpFixture('fedora-public.asc').toString(),
      fingerprint: 'X',
      addedAt: '2026-11-25T00:00:00Z',
      consent: 'with-notice',
    });
  });
  afterEach(() => stores.stop());
  afterAll(() => reader.close());

  const delivered = async (to: string) =>
    (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === to);
  const debianReads = async () =>
    Promise.all(
      (await delivered(DEBIAN)).map(async (m) => {
        const opened = await openPgpMime(reader, m);
        if ('error' in opened) throw new Error(opened.error);
        return { subject: m.subject ?? '', text: opened.inner.text ?? '' };
      }),
    );

  async function caseWithDate(id: string) {
    const disclosureAt = new Date(now.getTime() + 5 * DAY).toISOString();
    await services.cases.createIfAbsent(
      caseRecord(id, { advisory: ADVISORY, disclosureAt, severity: 'high' }),
    );
    await services.notices.fire({ caseId: id as CaseId, kind: 'advance', disclosureAt });
    return id as CaseId;
  }

  it('invites without details, and sends the details once the distributor accepted', async () => {
    const id = await caseWithDate('SEC-2026-0001');
    const [invitation] = await debianReads();
    expect(invitation!.subject).toContain('Invitation to an embargo');
    expect(invitation!.text).toContain('Severity:       high');
    expect(invitation!.text).toMatch(/at most 14 days/);
    expect(invitation!.text).not.toContain('SECRET-DETAILS');
    expect((await delivered(FEDORA)).map((m) => m.subject)).toEqual([
      expect.stringContaining('Advance notice'),
    ]);
    expect(recipientOf((await services.cases.get(id))!.recipients, DEBIAN)).toMatchObject({
      consent: { state: 'invited' },
      invited: { at: now.toISOString() },
    });
    expect(recipientOf((await services.cases.get(id))!.recipients, DEBIAN)!.noticeSent).toBe(
      undefined,
    );

    // Its signed /accept (recorded by the distributor-mail service, as intake does).
    await services.cases.update(id, (current) => ({
      fields: {
        recipients: applyRecipientEvent(current.recipients, debian, {
          kind: 'accepted',
          at: now.toISOString(),
          authentication: { method: 'pgp-signature', fingerprint: 'X' },
        }),
      },
      events: [],
    }));
    expect(
      await services.notices.afterAcceptance(
        id,
        (await services.distributors.list()).find((d) => d.email === DEBIAN)!,
      ),
    ).toBe(true);
    const mails = await debianReads();
    // The Maildir's order is not the order of sending.
    const details = mails.find((m) => m.subject.includes('Advance notice'));
    expect(mails).toHaveLength(2);
    expect(details!.text).toContain('SECRET-DETAILS');
  });

  it('never sends details to a distributor that declined, or stayed silent past the window', async () => {
    const declined = await caseWithDate('SEC-2026-0002');
    await services.cases.update(declined, (current) => ({
      fields: {
        recipients: applyRecipientEvent(current.recipients, debian, {
          kind: 'declined',
          at: now.toISOString(),
          authentication: { method: 'pgp-signature', fingerprint: 'X' },
        }),
      },
      events: [],
    }));
    const silent = await caseWithDate('SEC-2026-0003');
    // Four days later the date moves: the updated notice is due, the invitation has lapsed.
    now = new Date(now.getTime() + 4 * DAY);
    for (const id of [declined, silent]) {
      const record = (await services.cases.get(id))!;
      const disclosureAt = new Date(now.getTime() + 5 * DAY).toISOString();
      await services.cases.update(id, () => ({
        fields: { disclosureAt, dateChanges: (record.dateChanges ?? 0) + 1 },
        events: [],
      }));
      await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt });
    }
    const texts = (await debianReads()).map((m) => m.text);
    expect(texts).toHaveLength(2); // the two invitations, nothing after
    expect(texts.join('\n')).not.toContain('SECRET-DETAILS');
    expect(
      recipientOf((await services.cases.get(declined))!.recipients, DEBIAN)!.consent!.state,
    ).toBe('declined');
    expect(
      recipientOf((await services.cases.get(silent))!.recipients, DEBIAN)!.consent!.state,
    ).toBe('lapsed');
    const list = (await delivered('mia@example.org')).map((m) => m.subject);
    expect(
      list.filter((s) => /Updated advance notice sent to 1 distributor/.test(s ?? '')),
    ).toHaveLength(2);
  });
});
