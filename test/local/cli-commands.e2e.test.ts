import { userInfo } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg, pgpMimePayload } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome } from '../support/local-project';
import { PGP_FIXTURES } from '../support/local-stores';
import { formatUtc } from '../../shared/time/utc-text';
import type { DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';
import {
  closeEndToEnd,
  mailsTo as to,
  openAliceCase,
  readOutbox,
  startEndToEnd,
} from '../support/e2e-suite';

const SECURITY = 'security@example.org';
const DEBIAN = 'security@debian.example';
const CALLER = `local user ${userInfo().username}`;

/** A Wednesday noon (UTC) at least `days` ahead: a date the policy has nothing against. */
function wednesdayAfter(days: number): DateTime {
  let date = DateTime.utc().plus({ days }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  while (date.weekday !== 3) date = date.plus({ days: 1 });
  return date;
}

/** The iCalendar parts of a mail as mailparser finds them: the method parameter and the text. */
function calendarParts(mail: ParsedMail): { method: string; text: string }[] {
  return mail.attachments
    .filter((a) => a.contentType === 'text/calendar')
    .map((a) => {
      const type = a.headers.get('content-type') as { params?: Record<string, string> };
      // Long iCalendar lines are folded (RFC 5545 3.1); unfold them to read the values.
      return {
        method: type.params?.method ?? '',
        text: a.content.toString().replace(/\r?\n /g, ''),
      };
    });
}

describe('maintainer commands from the admin CLI, a case through to its end', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let caseId = '';
  const gpg = {
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    max: new GnuPg(['max-secret.asc', 'project-public.asc']),
  };
  const first = wednesdayAfter(12);
  // Ten days later is a Saturday, and 17 days after the first advance notice.
  const postponed = first.plus({ days: 10 });

  const cli = (...args: string[]) => runCli(args, env);
  const outbox = () => readOutbox(dir);
  const caseOf = (id: string): CaseRecord => JSON.parse(cli('case', id, '--json').stdout);
  const tick = (when: DateTime) => expect(cli('tick', '--now', when.toISO()!).status).toBe(0);

  const opened = new Map<string, ParsedMail>();
  /** Decrypts a maintainer's mail with GnuPG and parses the inner MIME. */
  async function open(who: keyof typeof gpg, mail: DeliveredMail): Promise<ParsedMail> {
    const known = opened.get(mail.file);
    if (known) return known;
    const payload = pgpMimePayload(mail);
    if (!payload) throw new Error('not PGP/MIME');
    const result = gpg[who].decrypt(payload);
    if (!result.ok) throw new Error(result.stderr);
    const parsed = await simpleParser(result.plaintext);
    opened.set(mail.file, parsed);
    return parsed;
  }

  /** Each maintainer's decrypted "Commands applied" mail about `caseId` that contains `marker`. */
  async function confirmations(marker: string, id = caseId) {
    const find = async (who: 'mia' | 'max') => {
      const mails = to(await outbox(), `${who}@example.org`).filter(
        (x) => x.subject === `[${id}] Commands applied`,
      );
      for (const mail of mails) {
        const inner = await open(who, mail);
        if (inner.text?.includes(marker)) return inner;
      }
      return undefined;
    };
    const found = await waitFor(
      async () => ({ mia: await find('mia'), max: await find('max') }),
      (f) => f.mia !== undefined && f.max !== undefined,
    );
    return { mia: found.mia!, max: found.max! };
  }

  const sequenceOf = (ics: string) => Number(/^SEQUENCE:(\d+)/m.exec(ics)?.[1]);

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('cli-commands', {
      config: {
        maintainers: [fixtureMaintainer('mia'), fixtureMaintainer('max')],
        ossSecurity: 'oss-security@lists.example',
      },
      timeByTick: true,
    }));
    const added = cli(
      'distributor',
      'add',
      DEBIAN,
      '--name',
      'Debian',
      '--key',
      join(PGP_FIXTURES, 'debian-public.asc'),
    );
    expect(added.stderr).toBe('');
    caseId = await openAliceCase({ embargo, env });
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it('refuses a block with one bad line, changing nothing, and says which line', () => {
    const before = caseOf(caseId);
    const result = cli('command', caseId, '/title Overflow', '/severity extreme');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('None of the commands were applied');
    expect(result.stderr).toContain('line 2: "/severity extreme": severity must be one of');
    const after = caseOf(caseId);
    expect(after.title).toBeUndefined();
    expect(after.history).toHaveLength(before.history.length);

    const text = cli('command', caseId, '/title Overflow', 'a note for the reporter');
    expect(text.status).toBe(1);
    expect(text.stderr).toContain('only taken with /advisory');
    expect(cli('command', 'nonsense', '/status').stderr).toContain('is not a case id');
  });

  it('applies a block, one argument a line, recorded as cli with the local user, and tells every maintainer', async () => {
    const result = cli(
      'command',
      caseId,
      '/title Heap overflow in the header parser',
      '/severity high',
      '/advisory',
      'ADVISORY: parse_header() overflows a fixed buffer.',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('severity: (unset) → high');
    expect(result.stdout).toMatch(
      /^Mail this caused:\n {2}sent now {2}the confirmation of these changes to 2 maintainers$/m,
    );
    const record = caseOf(caseId);
    expect(record).toMatchObject({
      title: 'Heap overflow in the header parser',
      severity: 'high',
      advisory: 'ADVISORY: parse_header() overflows a fixed buffer.',
      status: 'triaged',
    });
    const applied = record.history.filter((e) => e.type === 'commands-applied').at(-1);
    expect(applied).toMatchObject({
      actor: 'cli',
      authentication: { method: 'cli', caller: CALLER },
    });
    expect(cli('case', caseId).stdout).toContain(`admin CLI, ${CALLER}`);

    const { mia, max } = await confirmations('severity: (unset) → high');
    for (const copy of [mia, max]) {
      expect(copy.text).toContain(`The admin CLI (${CALLER}) applied commands`);
      expect(calendarParts(copy)).toEqual([]);
    }
  });

  it('--dry-run shows the changes and the mail they would cause, and does neither', async () => {
    const before = caseOf(caseId);
    const dry = cli('command', '--dry-run', caseId, `/disclose ${first.toISO()}`);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`Dry run on ${caseId}: these commands would change (from → to):`);
    expect(dry.stdout).toMatch(/^Mail it would cause:$/m);
    expect(dry.stdout).toMatch(
      /^ {2}scheduled +the advance notice to 1 distributor \(Debian\), each encrypted to its own key on /m,
    );
    expect(dry.stdout).not.toContain(DEBIAN);
    expect(dry.stdout).toContain('Nothing was changed or sent (--dry-run).');
    expect(caseOf(caseId)).toEqual(before);
  });

  it('refuses GitHub commands without `github` configured, says what to configure, and applies nothing', () => {
    const refused = cli('command', caseId, '/ghsa', '/severity low');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('no repository is configured');
    expect(refused.stderr).toContain('Configure `github` (docs/github.md)');
    expect(caseOf(caseId).severity).toBe('high');
  });

  it('sends each maintainer a calendar invite for the advance notice and the disclosure', async () => {
    const result = cli('command', caseId, `/disclose ${first.toISO()}`);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('Policy warnings');
    const { mia, max } = await confirmations(`/disclose ${first.toUTC().toISO()}`);
    for (const [who, copy] of [
      ['mia', mia],
      ['max', max],
    ] as const) {
      const invites = calendarParts(copy);
      expect(invites.map((i) => i.method)).toEqual(['REQUEST']);
      const ics = invites[0]!.text;
      expect(ics).toContain('METHOD:REQUEST');
      expect(ics).toContain(`UID:${caseId.toLowerCase()}-advance@example.org`);
      expect(ics).toContain(`UID:${caseId.toLowerCase()}-disclosure@example.org`);
      expect(ics).toContain(`DTSTART:${first.minus({ days: 7 }).toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
      expect(ics).toContain(`DTSTART:${first.toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
      expect(ics).toMatch(new RegExp(`ATTENDEE;[^\\n]*:MAILTO:${who}@example.org`, 'i'));
      expect(copy.text).toContain('calendar invite');
    }
  });

  it('gives the reporter the disclosure event with the date notice', async () => {
    tick(first.minus({ days: 7 }).plus({ minutes: 1 }));
    const notice = await waitFor(outbox, (m) =>
      to(m, 'alice@example.net').some((x) => x.subject?.includes('Public disclosure')),
    );
    const mail = to(notice, 'alice@example.net').find((x) =>
      x.subject?.includes('Public disclosure'),
    )!;
    const [invite] = calendarParts(mail.parsed);
    expect(invite?.method).toBe('REQUEST');
    expect(invite?.text).toContain(`UID:${caseId.toLowerCase()}-disclosure@example.org`);
    expect(invite?.text).not.toContain('-advance@');
    expect(invite?.text).toMatch(/ATTENDEE;[^\n]*:MAILTO:alice@example.net/i);
    expect(to(await outbox(), DEBIAN)).toHaveLength(1);
  });

  it('warns when a postponed date keeps distributors under embargo too long and falls on a weekend, and updates the invite', async () => {
    const earlier = await confirmations(`/disclose ${first.toUTC().toISO()}`);
    const before = sequenceOf(calendarParts(earlier.mia)[0]!.text);
    const result = cli('command', caseId, `/disclose ${postponed.toISO()}`);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Policy warnings');
    expect(result.stdout).toMatch(/under embargo for 17(\.\d)? days .*longer than the 14 days/);
    expect(result.stdout).toContain('is a Saturday (UTC)');
    const { mia, max } = await confirmations(`/disclose ${postponed.toUTC().toISO()}`);
    for (const copy of [mia, max]) {
      expect(copy.text).toContain('longer than the 14 days');
      const ics = calendarParts(copy)[0]!.text;
      expect(ics).toContain(`UID:${caseId.toLowerCase()}-disclosure@example.org`);
      expect(ics).toContain(`DTSTART:${postponed.toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
      expect(sequenceOf(ics)).toBeGreaterThan(before);
    }
  });

  it('marks the case disclosed after the public notice, reminds of oss-security, and closes it with /close', async () => {
    expect(cli('command', caseId, '/exploit held').status).toBe(0);
    tick(postponed.plus({ minutes: 1 }));
    expect(caseOf(caseId).status).toBe('disclosed');
    const checklist = to(await outbox(), 'max@example.org').find((m) =>
      m.subject?.includes('Disclosure day'),
    )!;
    const list = await open('max', checklist);
    expect(list.text).toContain('Post the advisory to oss-security@lists.example now');
    expect(cli('cases').stdout).toContain(caseId);
    expect(JSON.parse(cli('cases', '--status', 'disclosed', '--json').stdout)).toEqual([
      expect.objectContaining({ id: caseId }),
    ]);

    const closed = cli('command', caseId, '/close fixed');
    expect(closed.status).toBe(0);
    expect(closed.stdout).toContain('status: disclosed → closed');
    expect(caseOf(caseId).status).toBe('closed');
    expect(cli('cases').stdout).not.toContain(caseId);
    expect(cli('cases').stdout).toContain('No open cases');
    expect(cli('cases', '--all').stdout).toContain(caseId);
    expect(JSON.parse(cli('cases', '--status', 'closed', '--json').stdout)).toHaveLength(1);
    const bad = cli('cases', '--status', 'done');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('new, triaged, disclosed, closed');
  });

  it('reminds the maintainers seven days after disclosure to post the exploits held back, closed or not', async () => {
    const subject = `[${caseId}] Post the exploits held back to oss-security`;
    const reminders = async () =>
      to(await outbox(), 'mia@example.org').filter((m) => m.subject === subject);
    tick(postponed.plus({ days: 6 }));
    expect(await reminders()).toHaveLength(0);
    tick(postponed.plus({ days: 7, minutes: 2 }));
    const [reminder, ...more] = await reminders();
    expect(more).toHaveLength(0);
    const text = (await open('mia', reminder!)).text ?? '';
    expect(text).toContain('with exploits held back');
    expect(text).toContain('to oss-security@lists.example');
    expect(caseOf(caseId).history.at(-1)).toMatchObject({ type: 'reminder' });
    tick(postponed.plus({ days: 8 }));
    expect(await reminders()).toHaveLength(1);
  });

  let other = '';
  const hostile = '<script>alert(1)</script><img src="https://evil.example/x.png"> & "quotes"';

  it('writes a case as one self-contained HTML page: time line, schedule ahead, audit chain', async () => {
    const outcome = await sendAndAwaitOutcome(
      embargo,
      env,
      rawMessage({
        from: '"<b>Bob</b>" <bob@example.net>',
        subject: hostile,
        body: 'Another one.',
      }),
      { from: 'bob@example.net', to: SECURITY },
    );
    if (outcome?.kind !== 'case') throw new Error(JSON.stringify(outcome));
    other = outcome.caseId;
    const date = wednesdayAfter(30);
    expect(cli('command', other, '/advisory', 'Text.').status).toBe(0);
    expect(cli('command', other, `/disclose ${date.toISO()}`).status).toBe(0);

    const page = cli('case', other, '--html');
    expect(page.status).toBe(0);
    const html = page.stdout;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    // Nothing runs and nothing is fetched: no script, no URL-bearing attribute, no CSS import.
    expect(html).not.toMatch(/<script/i);
    const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
    expect(tags.filter((t) => /\s(src|href|action|srcset|poster|data)\s*=/i.test(t))).toEqual([]);
    const names = new Set(tags.map((t) => /^<([a-zA-Z0-9]+)/.exec(t)![1]!.toLowerCase()));
    expect(
      [...names].filter(
        (n) =>
          !/^(html|head|meta|title|style|body|h[12]|p|pre|table|tr|th|td|ol|ul|li|span)$/.test(n),
      ),
    ).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>Bob</b>');
    expect(html).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;https://evil.example/x.png&quot;&gt; &amp; &quot;quotes&quot;',
    );
    expect(html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'');
    expect(html).toContain('Hash chain intact');
    const schedule = html.slice(html.indexOf('Schedule ahead'), html.indexOf('Time line'));
    expect(schedule).toContain(formatUtc(date.minus({ days: 7 }).toISO()!));
    expect(schedule).toContain('advance notice to distributors');
    expect(schedule).toContain(
      `${formatUtc(date.toISO()!)}</span> <span class="type">public disclosure`,
    );
    const timeline = html.slice(html.indexOf('Time line'));
    expect(timeline).toContain('commands-applied');
    expect(timeline).toContain(`admin CLI, ${CALLER}`);
    expect((timeline.match(/<li class="[^"]*" id="entry-/g) ?? []).length).toBe(
      caseOf(other).history.length,
    );
  });

  it('cancels the invites when a case with a pending date is closed', async () => {
    expect(cli('command', other, '/close invalid').status).toBe(0);
    const dated = await confirmations('/disclose', other);
    const cancelled = await confirmations('/close invalid', other);
    const requests = calendarParts(dated.mia);
    const cancels = calendarParts(cancelled.max);
    expect(requests.map((r) => r.method)).toEqual(['REQUEST']);
    expect(cancels.map((r) => r.method)).toEqual(['CANCEL']);
    expect(cancels[0]!.text).toContain('METHOD:CANCEL');
    expect(cancels[0]!.text).toContain('STATUS:CANCELLED');
    expect(cancels[0]!.text).toContain(`UID:${other.toLowerCase()}-disclosure@example.org`);
    expect(sequenceOf(cancels[0]!.text)).toBeGreaterThan(sequenceOf(requests[0]!.text));
    const status = cli('command', other, '/status');
    expect(status.stdout).toContain('Nothing changed');
    expect(status.stdout).toContain('History (hash chain intact)');
  });
});
