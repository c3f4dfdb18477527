import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { CaseRecord } from '../../shared/cases/case-record';
import { closeEndToEnd, FIXTURE_DISTRIBUTORS, startEndToEnd } from '../support/e2e-suite';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { encryptedEnvelope } from '../support/pgp-mime-envelopes';
import { runCli, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, openCaseOverSmtp, sendAndAwaitOutcome } from '../support/local-project';
import { PGP_FIXTURES } from '../support/local-stores';
import { headerOf, readMaildir, type DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const DEBIAN = FIXTURE_DISTRIBUTORS.debian;
const FEDORA = FIXTURE_DISTRIBUTORS.fedora;
const MIA = 'mia@example.org';
const SECURITY = 'security@example.org';

/** A Wednesday at noon UTC, some weeks ahead: no weekend warning, room for every step. */
function wednesdayAfter(days: number): DateTime {
  let date = DateTime.utc().plus({ days }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  while (date.weekday !== 3) date = date.plus({ days: 1 });
  return date;
}

/**
 * Issue 27, tracking: over SMTP and the local scheduler (`tick --now`), with GnuPG as every
 * reader: Debian (in Europe/Berlin) confirms, Fedora stays silent and gets one reminder, the
 * maintainers are told who is silent and get the summary the day before D, and a date moved
 * after Debian's confirmation shows it as for the old date and starts the tracking again.
 */
describe('distributors tracked over mail: reminders, the summary before D, a moved date', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let caseId = '';
  const gpg = {
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    debian: new GnuPg(['debian-secret.asc', 'project-public.asc']),
    fedora: new GnuPg(['fedora-secret.asc', 'project-public.asc']),
  };
  const first = wednesdayAfter(21);
  const advanceAt = first.minus({ days: 7 });

  const cli = (...args: string[]) => runCli(args, env);
  const outbox = () => readMaildir(join(dir, 'data', 'outbox'));
  const caseOf = (): CaseRecord => JSON.parse(cli('case', caseId, '--json').stdout);
  const tick = (when: DateTime) => expect(cli('tick', '--now', when.toISO()!).status).toBe(0);
  const mailsTo = async (address: string) =>
    (await outbox()).filter((m) => m.deliveredTo === address);

  async function text(who: keyof typeof gpg, mail: DeliveredMail): Promise<string> {
    const opened = await openPgpMime(gpg[who], mail);
    if ('error' in opened) throw new Error(opened.error);
    return (opened.inner.text ?? '').replace(/\s+/g, ' ');
  }

  /** The maintainer's mails whose subject contains `marker`, decrypted. */
  async function miaTexts(marker: string): Promise<string[]> {
    const mails = (await mailsTo(MIA)).filter((m) => m.subject.includes(marker));
    return Promise.all(mails.map((m) => text('mia', m)));
  }

  beforeAll(async () => {
    // The timer stays out of the way: this test moves time with `tick --now`.
    ({ dir, env, embargo } = await startEndToEnd('tracking', {
      config: { maintainers: [fixtureMaintainer('mia')] },
      timeByTick: true,
    }));
    for (const [address, name, fixture, zone] of [
      [DEBIAN, 'Debian', 'debian', ['--time-zone', 'Europe/Berlin']],
      [FEDORA, 'Fedora', 'fedora', []],
    ] as const) {
      const added = cli(
        'distributor',
        'add',
        address,
        '--name',
        name,
        '--key',
        join(PGP_FIXTURES, `${fixture}-public.asc`),
        ...zone,
      );
      expect(added.stderr).toBe('');
    }
    caseId = await openCaseOverSmtp(
      embargo,
      env,
      rawMessage({ from: 'Alice <alice@example.net>', body: 'The parser overflows.' }),
      'alice@example.net',
    );
    const set = cli(
      'command',
      caseId,
      '/title Heap overflow',
      `/disclose ${first.toISO()}`,
      '/advisory',
      'parse_header() overflows a fixed buffer.',
    );
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain('one reminder to each recipient that has not confirmed');
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it('refuses a time zone that is not an IANA name when a distributor is added', () => {
    const refused = cli(
      'distributor',
      'add',
      'ops@suse.example',
      '--name',
      'SUSE',
      '--key',
      join(PGP_FIXTURES, 'debian-public.asc'),
      '--time-zone',
      'Mars/Olympus',
      '--force',
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('"Mars/Olympus" is not an IANA time zone name');
    expect(cli('distributor', 'list', '--json').stdout).not.toContain('suse');
  });

  it('gives Debian the date in its own zone too, with a calendar invite, and Fedora in UTC', async () => {
    tick(advanceAt.plus({ minutes: 1 }));
    const [debian] = await mailsTo(DEBIAN);
    const debianText = await text('debian', debian!);
    expect(debianText).toContain(
      `under embargo until ${first.toFormat('yyyy-MM-dd HH:mm')} UTC (${first.setZone('Europe/Berlin').toFormat('yyyy-MM-dd HH:mm')} Europe/Berlin, UTC${first.setZone('Europe/Berlin').toFormat('ZZ')})`,
    );
    const opened = await openPgpMime(gpg.debian, debian!);
    if ('error' in opened) throw new Error(opened.error);
    const ics = opened.inner.attachments.find((a) => a.contentType === 'text/calendar');
    expect(ics?.content.toString()).toContain(`DTSTART:${first.toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
    const [fedora] = await mailsTo(FEDORA);
    expect(await text('fedora', fedora!)).toContain(
      `under embargo until ${first.toFormat('yyyy-MM-dd HH:mm')} UTC. `,
    );
  });

  it("records Debian's signed /received, answered on its notice's thread", async () => {
    const [notice] = await mailsTo(DEBIAN);
    // As Debian's client makes it: PGP/MIME, signed with its key, encrypted to the project's.
    const part = 'Content-Type: text/plain; charset=utf-8\r\n\r\n/received\r\n';
    const sealed = gpg.debian.run(
      ['--armor', '--sign', '--encrypt', '--local-user', DEBIAN, '--recipient', SECURITY],
      part,
    );
    if (sealed.status !== 0) throw new Error(sealed.stderr.toString());
    const reply = encryptedEnvelope(
      [
        `From: Debian Security <${DEBIAN}>`,
        `To: ${SECURITY}`,
        `Subject: Re: ${notice!.subject}`,
        `Message-ID: <debian-received-${Date.now()}@debian.example>`,
        `In-Reply-To: ${notice!.parsed.messageId}`,
        `References: ${notice!.parsed.messageId}`,
      ],
      sealed.stdout.toString(),
    );
    expect(await sendAndAwaitOutcome(embargo, env, reply, { from: DEBIAN, to: SECURITY })).toEqual({
      kind: 'follow-up',
      caseId,
    });
    const record = caseOf();
    const debian = record.recipients?.find((r) => r.address === DEBIAN);
    expect(debian?.confirmed?.round).toBe(debian?.noticeSent?.round);
  });

  it('reminds silent Fedora once after two days, not Debian, and tells the maintainers who is silent', async () => {
    tick(advanceAt.plus({ days: 1 }));
    expect(await mailsTo(FEDORA)).toHaveLength(1);
    tick(advanceAt.plus({ days: 2, minutes: 2 }));
    tick(advanceAt.plus({ days: 2, minutes: 3 }));
    const fedora = await mailsTo(FEDORA);
    expect(fedora).toHaveLength(2);
    const reminder = fedora.find((m) => m.subject.includes('Reminder'))!;
    const notice = fedora.find((m) => !m.subject.includes('Reminder'))!;
    expect(headerOf(reminder, 'In-Reply-To')).toBe(headerOf(notice, 'Message-ID'));
    expect(await text('fedora', reminder)).toContain('/received');
    expect((await mailsTo(DEBIAN)).filter((m) => m.subject.includes('Reminder'))).toEqual([]);

    const silent = await miaTexts('Silent distributors');
    expect(silent).toHaveLength(1);
    expect(silent[0]).toContain(`Fedora <${FEDORA}>`);
    expect(silent[0]).not.toContain(`Debian <${DEBIAN}>`);
    expect(cli('cases').stdout).toMatch(/1\/2 1 silent/);
  });

  it('sends the maintainers one summary the day before D: Debian confirmed, Fedora silent', async () => {
    tick(first.minus({ days: 1 }).plus({ minutes: 1 }));
    tick(first.minus({ days: 1 }).plus({ minutes: 2 }));
    const summaries = await miaTexts('Disclosure tomorrow');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toContain('Confirmed: Debian');
    expect(summaries[0]).toContain('Silent: Fedora');
  });

  it('after a confirmed date moves, shows the confirmation as for the old date and reminds again', async () => {
    const later = first.plus({ days: 7 });
    const moved = cli('command', caseId, `/disclose ${later.toISO()}`);
    expect(moved.status).toBe(0);
    // The updated notice goes at once to both.
    expect((await mailsTo(DEBIAN)).filter((m) => m.subject.includes('Updated'))).toHaveLength(1);
    const view = cli('case', caseId).stdout.replace(/\s+/g, ' ');
    expect(view).toContain(
      `NOT for this date (confirmed the old date ${first.toFormat('yyyy-MM-dd HH:mm')} UTC)`,
    );
    tick(DateTime.utc().plus({ days: 2, minutes: 5 }));
    expect((await mailsTo(DEBIAN)).filter((m) => m.subject.includes('Reminder'))).toHaveLength(1);
    expect((await mailsTo(FEDORA)).filter((m) => m.subject.includes('Reminder'))).toHaveLength(2);
  });
});
