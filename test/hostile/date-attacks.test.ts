import { LocalNoticeScheduler } from '../../infra/local/local-notice-scheduler';
import { localResources } from '../../infra/local/local-settings';
import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { deliver } from '../support/deliver';
import { GnuPg, signedMail } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { startServices, stopServices, testConfig, type Stores } from '../support/local-stores';
import { readMaildir, type DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

/**
 * Issue 25 ("All or nothing"): a signed `/disclose +275760-09-13` was half-applied (the case
 * kept the date, then the calendar invite threw, intake retried and dead-lettered, and no
 * maintainer was told); and local mode's scheduler compared times as strings, so a schedule at
 * `+010000-01-01` fired at once. Real stores, a real GnuPG signature, the real outbox.
 */
describe('dates no calendar holds (issue 25)', () => {
  let stores: Stores;
  let services: EmbargoServices;
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  let n = 0;

  beforeAll(async () => ({ stores, services } = await startServices(config)));
  afterAll(() => stopServices(stores, [mia]));

  const mailTo = async (address: string) =>
    (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === address);

  const notAppliedAbout = (id: CaseId, mails: DeliveredMail[]) =>
    mails.filter(
      (m) => m.subject?.includes(`[${id}]`) && m.subject.includes('Commands not applied'),
    );

  /** Opens a case from a report; returns its id and the Message-ID of Mia's copy. */
  async function openCase(): Promise<{ id: CaseId; copyId: string }> {
    n += 1;
    const before = new Set((await mailTo('mia@example.org')).map((m) => m.file));
    const outcome = await deliver(services, {
      messageId: `report-${n}`,
      raw: rawMessage({ from: 'alice@example.net', messageId: `<report-${n}@example.net>` }),
      from: 'alice@example.net',
      to: 'security@example.org',
    });
    if (outcome.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const copy = (await mailTo('mia@example.org')).find((m) => !before.has(m.file))!;
    return { id: outcome.caseId as CaseId, copyId: copy.parsed.messageId! };
  }

  it.each(['+275760-09-13', '+010000-01-01', '9999-12-31T23:00-05:00'])(
    'refuses a signed /disclose %s on its first attempt: nothing changes, and the sender is told why',
    async (date) => {
      const { id, copyId } = await openCase();
      const before = (await services.cases.get(id))!;
      const mail = signedMail(
        mia,
        {
          from: 'mia@example.org',
          to: 'security@example.org',
          subject: 'Re: x',
          messageId: `<far-${n}@example.org>`,
          inReplyTo: copyId,
        },
        `/disclose ${date}\n/severity high`,
      );
      // Resolves: no exception, so no retry and no dead letter.
      expect(
        await deliver(services, {
          messageId: `far-${n}`,
          raw: mail,
          from: 'mia@example.org',
          to: 'security@example.org',
        }),
      ).toEqual({ kind: 'follow-up', caseId: id });
      const after = (await services.cases.get(id))!;
      expect(after.disclosureAt).toBeUndefined();
      expect(after.severity).toBe(before.severity);
      expect(after.history.filter((e) => e.type === 'commands-applied')).toEqual([]);
      expect(after.history.at(-1)?.summary).toContain('is not a date in the years 1–9999');
      expect(notAppliedAbout(id, await mailTo('mia@example.org'))).toHaveLength(1);
      expect(await mailTo('alice@example.net')).not.toContainEqual(
        expect.objectContaining({ subject: expect.stringContaining('disclosure') }),
      );
    },
  );

  it('changes nothing when what a block triggers cannot be made, and tells the sender (a date past the parser)', async () => {
    const { id } = await openCase();
    const before = (await services.cases.get(id))!;
    const beforeMail = (await mailTo('mia@example.org')).length;
    // As if a parser let the date through: the calendar invite cannot hold +275760-09-13.
    const commands = [
      { line: 1, text: '/severity high', command: { name: 'severity', value: 'high' } as const },
      {
        line: 2,
        text: '/disclose +275760-09-13',
        command: { name: 'disclose', at: '+275760-09-13T00:00:00.000Z' } as const,
      },
    ];
    const source = {
      id: `far-block-${n}`,
      at: new Date().toISOString(),
      actor: 'mia@example.org',
      who: 'Mia <mia@example.org> (signed mail)',
      authentication: { method: 'cli' as const, caller: 'test' },
      sender: { email: 'mia@example.org' },
    };
    const applied = await services.commands.apply(before, { commands, body: '' }, source);
    expect(applied.refused).toContain('outside the years 1–9999');
    const after = (await services.cases.get(id))!;
    expect(after.disclosureAt).toBeUndefined();
    expect(after.severity).toBe(before.severity);
    expect(after.status).toBe(before.status);
    expect(after.history.map((e) => e.type).slice(-1)).toEqual(['commands-refused']);
    // Retried: the same outcome, told once.
    await services.commands.apply(after, { commands, body: '' }, source);
    const mails = await mailTo('mia@example.org');
    expect(mails.length).toBe(beforeMail + 1);
    expect(notAppliedAbout(id, mails)).toHaveLength(1);
  });

  it("local mode's scheduler compares instants: a schedule in year 10000 is not due today", async () => {
    const scheduler = new LocalNoticeScheduler(stores.dynamoClient, localResources.tableName);
    const trigger = { caseId: 'SEC-2026-0999' as CaseId, kind: 'disclosure' } as const;
    const far = '+010000-01-01T00:00:00.000Z';
    const soon = new Date(Date.now() - 1000);
    await scheduler.schedule('far-away', new Date(far), { ...trigger, disclosureAt: far });
    await scheduler.schedule('due-now', soon, { ...trigger, disclosureAt: soon.toISOString() });
    const due = (await scheduler.due(new Date())).map((s) => s.name);
    expect(due).toContain('due-now');
    expect(due).not.toContain('far-away');
    expect((await scheduler.due(new Date(far))).map((s) => s.name)).toEqual([
      'due-now',
      'far-away',
    ]);
    await scheduler.cancel('far-away');
    await scheduler.cancel('due-now');
  });
});
