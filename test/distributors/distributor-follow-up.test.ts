import { parseCommands } from '../../shared/commands/case-commands';
import type { CaseId } from '../../shared/cases/case-id';
import { applyRecipientEvent } from '../../shared/distributors/recipient-events';
import { noticeRound } from '../../shared/notices/notice-round';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { LocalNoticeScheduler } from '../../infra/local/local-notice-scheduler';
import { LocalSchedulerLoop } from '../../infra/local/local-scheduler-loop';
import { localResources } from '../../infra/local/local-settings';
import { caseRecord } from '../support/case-builder';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import {
  memoryLogger,
  pgpFixture,
  startStores,
  testConfig,
  type Stores,
} from '../support/local-stores';
import { headerOf, readMaildir, type DeliveredMail } from '../support/maildir';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DEBIAN = 'security@debian.example';
const FEDORA = 'secalert@fedora.example';
const MIA = 'mia@example.org';
const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };
const id = 'SEC-2026-0001' as CaseId;

/**
 * Silence made visible on the schedule: the reminder `distributorReminderDays` after the
 * advance notice to the recipient that has not confirmed (and to it only), the maintainers
 * told who is silent, the summary a day before D, and a date moved after a confirmation.
 * Real stores, the local scheduler fired as `tick --now` does, GnuPG as each reader.
 */
describe('distributors who stay silent: reminders and the summary before disclosure', () => {
  let stores: Stores;
  let services: EmbargoServices;
  let loop: LocalSchedulerLoop;
  let scheduler: LocalNoticeScheduler;
  let now = new Date(Math.ceil(Date.now() / DAY) * DAY + 9 * HOUR);

  beforeAll(async () => {
    stores = await startStores();
    services = stores.services({ config, clock: { now: () => now } });
    scheduler = new LocalNoticeScheduler(stores.dynamoClient, localResources.tableName);
    loop = new LocalSchedulerLoop(
      scheduler,
      (trigger) => services.notices.fire(trigger),
      async () => undefined,
      memoryLogger(),
    );
    for (const [email, name, fixture] of [
      [DEBIAN, 'Debian', 'debian'],
      [FEDORA, 'Fedora', 'fedora'],
    ] as const) {
      const armored = pgpFixture(`${fixture}-public.asc`).toString();
      const key = await services.crypto.inspectKey(armored);
      if (!key.usable) throw new Error(key.problem);
      await services.distributors.put({
        email,
        name,
        publicKeyArmored: armored,
        fingerprint: key.fingerprint,
        addedAt: '2026-11-25T00:00:00Z',
      });
    }
    await services.cases.createIfAbsent(
      caseRecord(id, {
        acknowledgedAt: now.toISOString(),
        title: 'Heap overflow',
        advisory: 'The parser overflows.',
        messageIdKey: 'k'.repeat(64),
      }),
    );
  });
  afterAll(() => stores.stop());

  async function command(line: string) {
    const parsed = parseCommands(line, now);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const record = (await services.cases.get(id))!;
    return services.commands.apply(record, parsed, {
      id: `cli-${line}`,
      at: now.toISOString(),
      actor: 'cli',
      who: 'The admin CLI (test)',
      authentication: { method: 'cli', caller: 'test' },
    });
  }

  /** As `tick --now` does: the clock moves, and what is due fires. */
  async function tick(to: Date) {
    now = to;
    return loop.runDue(now);
  }

  async function mails(to: string): Promise<DeliveredMail[]> {
    return (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === to);
  }

  async function opened(mail: DeliveredMail, reader: string) {
    const result = await openPgpMime(
      new GnuPg([`${reader}-secret.asc`, 'project-public.asc']),
      mail,
    );
    if ('error' in result) throw new Error(result.error);
    return result.inner.text ?? '';
  }

  /** What the distributors' reply path records for a signed `/received` (shared/distributors/). */
  async function received(address: string, name: string) {
    const at = now.toISOString();
    await services.cases.update(id, (current) => ({
      fields: {
        recipients: applyRecipientEvent(
          current.recipients,
          { email: address, name },
          {
            kind: 'received',
            at,
            round: noticeRound(current),
            authentication: { method: 'pgp-signature', fingerprint: 'F'.repeat(40) },
          },
        ),
      },
      events: [],
    }));
  }

  const disclosure = () => new Date(now.getTime() + 10 * DAY);
  let d: Date;

  it('plans the reminder two days after the advance notice and the summary a day before D', async () => {
    d = disclosure();
    await command(`/disclose ${d.toISOString()}`);
    const pending = Object.fromEntries(
      (await scheduler.pending()).map((s) => [s.name.replace(`${id}-`, ''), s.at]),
    );
    const advanceAt = d.getTime() - config.advanceNoticeDays * DAY;
    expect(pending).toEqual({
      advance: new Date(advanceAt).toISOString(),
      disclosure: d.toISOString(),
      'distributor-reminder': new Date(advanceAt + 2 * DAY).toISOString(),
      'pre-disclosure': new Date(d.getTime() - DAY).toISOString(),
    });
  });

  it('reminds the silent recipient once, in its notice thread, and tells the maintainers who is silent', async () => {
    const advanceAt = new Date(d.getTime() - config.advanceNoticeDays * DAY);
    expect(await tick(advanceAt)).toBe(1);
    const record = (await services.cases.get(id))!;
    // In the list's order (by address).
    expect(record.recipients?.map((r) => [r.address, r.noticeSent?.at])).toEqual([
      [FEDORA, advanceAt.toISOString()],
      [DEBIAN, advanceAt.toISOString()],
    ]);
    now = new Date(advanceAt.getTime() + 3 * HOUR);
    await received(DEBIAN, 'Debian');

    // A day later nothing is due; at two days the reminder fires.
    expect(await tick(new Date(advanceAt.getTime() + DAY))).toBe(0);
    expect(await tick(new Date(advanceAt.getTime() + 2 * DAY))).toBe(1);
    expect(await mails(DEBIAN)).toHaveLength(1);
    const fedora = await mails(FEDORA);
    expect(fedora).toHaveLength(2);
    const reminder = fedora.find((m) => !m.subject.includes('Advance notice'));
    const notice = fedora.find((m) => m.subject.includes('Advance notice'));
    expect(reminder!.subject).toContain('Reminder: please confirm the advance notice');
    expect(headerOf(reminder!, 'In-Reply-To')).toBe(headerOf(notice!, 'Message-ID'));
    const text = (await opened(reminder!, 'fedora')).replace(/\s+/g, ' ');
    expect(text).toContain('To Fedora,');
    expect(text).toContain('/received');
    expect(text).not.toContain('Debian');

    const toMia = (await mails(MIA)).filter((m) => m.subject.includes('Silent distributors'));
    expect(toMia).toHaveLength(1);
    const told = (await opened(toMia[0]!, 'mia')).replace(/\s+/g, ' ');
    expect(told).toContain(`Fedora <${FEDORA}>`);
    expect(told).toContain('SILENT');
    expect(told).not.toContain(`Debian <${DEBIAN}>`);
    expect(told).toContain('got one reminder now, encrypted to it alone: Fedora.');

    // Fired again (the scheduler delivers at least once): nothing new.
    await services.notices.fire({
      caseId: id,
      kind: 'distributor-reminder',
      disclosureAt: d.toISOString(),
    });
    expect(await mails(FEDORA)).toHaveLength(2);
    expect((await mails(MIA)).filter((m) => m.subject.includes('Silent'))).toHaveLength(1);
    const after = (await services.cases.get(id))!;
    expect(after.recipients?.find((r) => r.address === FEDORA)?.reminded?.round).toBe(
      noticeRound(after),
    );
  });

  it('sends the maintainers one summary a day before D: confirmed, affected, silent', async () => {
    await services.cases.update(id, (current) => ({
      fields: {
        recipients: applyRecipientEvent(
          current.recipients,
          { email: DEBIAN, name: 'Debian' },
          {
            kind: 'status',
            at: now.toISOString(),
            round: noticeRound(current),
            value: 'affected',
            detail: '1.2-3',
            authentication: { method: 'pgp-signature', fingerprint: 'F'.repeat(40) },
          },
        ),
      },
      events: [],
    }));
    expect(await tick(new Date(d.getTime() - DAY))).toBe(1);
    const summaries = (await mails(MIA)).filter((m) => m.subject.includes('Disclosure tomorrow'));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.subject).toContain('1 of 2 distributors confirmed, 1 silent');
    const text = await opened(summaries[0]!, 'mia');
    expect(text).toMatch(/^Confirmed: +Debian$/m);
    expect(text).toMatch(/^Affected: +Debian \(1\.2-3\)$/m);
    expect(text).toMatch(/^Silent: +Fedora$/m);
    await services.notices.fire({
      caseId: id,
      kind: 'pre-disclosure',
      disclosureAt: d.toISOString(),
    });
    expect(
      (await mails(MIA)).filter((m) => m.subject.includes('Disclosure tomorrow')),
    ).toHaveLength(1);
  });

  it('when the date moves, shows the confirmation as for the old date and tracks the new round again', async () => {
    const old = d;
    d = new Date(d.getTime() + 7 * DAY);
    await command(`/disclose ${d.toISOString()}`);
    // The updated notice went at once to both; the reminder for the new round is planned.
    expect(await mails(DEBIAN)).toHaveLength(2);
    const record = (await services.cases.get(id))!;
    const pending = await scheduler.pending();
    expect(pending.find((s) => s.name === `${id}-distributor-reminder`)?.at).toBe(
      new Date(now.getTime() + 2 * DAY).toISOString(),
    );
    const debian = record.recipients!.find((r) => r.address === DEBIAN)!;
    expect(debian.confirmed?.round).not.toBe(noticeRound(record));
    expect(debian.noticeSent?.round).toBe(noticeRound(record));

    expect(await tick(new Date(now.getTime() + 2 * DAY))).toBe(1);
    // Both are silent for the new date now; each gets its one reminder for it.
    expect(await mails(DEBIAN)).toHaveLength(3);
    expect(await mails(FEDORA)).toHaveLength(4);
    const silent = (await mails(MIA)).filter((m) => m.subject.includes('Silent distributors'));
    expect(silent).toHaveLength(2);
    const texts = await Promise.all(
      silent.map(async (m) => (await opened(m, 'mia')).replace(/\s+/g, ' ')),
    );
    const text = texts.find((t) => t.includes(`Debian <${DEBIAN}>`)) ?? '';
    expect(text).toContain(
      `NOT for this date (confirmed the old date ${old.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    );
  });
});
