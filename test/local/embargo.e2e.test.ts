import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg, openPgpMime, signedMail } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome } from '../support/local-project';
import { PGP_FIXTURES } from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';
import { osvAffects } from '../advisories/osv-evaluation';
import { cveSchemaProblems, osvSchemaProblems } from '../advisories/record-schemas';
import {
  closeEndToEnd,
  FIXTURE_DISTRIBUTORS,
  mailsTo as to,
  readOutbox,
  startEndToEnd,
} from '../support/e2e-suite';

const SECURITY = 'security@example.org';
const DAY = 86_400_000;
const fingerprints = JSON.parse(
  readFileSync(join(PGP_FIXTURES, 'fingerprints.json'), 'utf8'),
) as Record<string, string>;
const DISTRIBUTORS = FIXTURE_DISTRIBUTORS;
const PATCH = '--- a/src/parse.c\n+++ b/src/parse.c\n@@ -1 +1,2 @@\n+  if (len > MAX) return -1;\n';

/** A whole minute, so that the dates survive formatting. */
const at = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000);
const iso = (d: Date) => d.toISOString().replace(/:00\.000Z$/, 'Z');

describe('the embargo schedule, driven with `embargo tick`', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let counter = 0;
  const start = Date.now();
  const gpg = {
    mia: new GnuPg(['mia-secret.asc', 'project-public.asc']),
    debian: new GnuPg(['debian-secret.asc', 'project-public.asc']),
    fedora: new GnuPg(['fedora-secret.asc', 'project-public.asc']),
    alice: new GnuPg(['alice-secret.asc', 'project-public.asc']),
    reader: new GnuPg(['project-public.asc']),
  };

  const cli = (...args: string[]) => runCli(args, env);
  const outbox = () => readOutbox(dir);
  const caseOf = (id: string): CaseRecord => JSON.parse(cli('case', id, '--json').stdout);

  const send = (raw: string, recipient: string, from: string) =>
    sendAndAwaitOutcome(embargo, env, raw, { from, to: recipient });

  /** Opens a case from Alice and returns its id and Mia's reply address for it. */
  async function openCase(
    subject: string,
  ): Promise<{ caseId: string; miaReplyTo: { to: string; inReplyTo: string } }> {
    const outcome = await send(
      rawMessage({ from: 'Alice <alice@example.net>', subject }),
      SECURITY,
      'alice@example.net',
    );
    if (outcome?.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const mails = await waitFor(outbox, (m) =>
      to(m, 'mia@example.org').some((x) => x.subject?.startsWith(`[${outcome.caseId}] New report`)),
    );
    const copy = to(mails, 'mia@example.org').find((x) =>
      x.subject?.startsWith(`[${outcome.caseId}] New report`),
    )!;
    return {
      caseId: outcome.caseId,
      miaReplyTo: {
        to: copy.parsed.replyTo?.value[0]?.address ?? '',
        inReplyTo: copy.parsed.messageId ?? '',
      },
    };
  }

  /** Mia sends signed commands on a case. */
  async function command(
    reply: { to: string; inReplyTo: string },
    body: string,
    attachments: { filename: string; content: string }[] = [],
  ) {
    const raw = signedMail(
      gpg.mia,
      {
        from: 'mia@example.org',
        to: reply.to,
        subject: 'Re: case',
        messageId: `<e${++counter}-${Date.now()}@example.org>`,
        inReplyTo: reply.inReplyTo,
      },
      body,
      attachments,
    );
    return send(raw, reply.to, 'mia@example.org');
  }

  const tick = (when: Date) => {
    const result = cli('tick', '--now', when.toISOString());
    expect(result.status).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('schedule', {
      config: {
        project: 'cryptolib',
        maintainers: [fixtureMaintainer('mia')],
        supportedReleases: ['2.4', '2.3'],
        ecosystem: 'PyPI',
        packageName: 'cryptolib-core',
      },
      timeByTick: true,
      distributors: true,
    }));
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  it('manages the distributor list and refuses a key that cannot encrypt', () => {
    const refused = cli(
      'distributor',
      'add',
      'ops@distro.example',
      '--name',
      'SignOnly',
      '--key',
      join(PGP_FIXTURES, 'signonly-public.asc'),
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('cannot be used for encryption');
    const listed = JSON.parse(cli('distributor', 'list', '--json').stdout) as {
      email: string;
      fingerprint: string;
    }[];
    expect(listed.map((d) => d.email).sort()).toEqual(
      [DISTRIBUTORS.debian, DISTRIBUTORS.fedora].sort(),
    );
    expect(listed.find((d) => d.email === DISTRIBUTORS.debian)?.fingerprint).toBe(
      fingerprints.debian,
    );
    expect(JSON.stringify(listed)).not.toContain('PGP PUBLIC KEY');
  });

  describe('a case disclosed ten days out', () => {
    let caseId = '';
    let miaReplyTo = { to: '', inReplyTo: '' };
    const disclosure = at(start + 10 * DAY);

    it('schedules the advance notice seven days before and the public notice on the day', async () => {
      ({ caseId, miaReplyTo } = await openCase('Heap overflow'));
      await command(
        miaReplyTo,
        '/title Heap overflow in the header parser\n/affected >=2.0, <2.4.1\n/fixed 2.4.1, 2.3.9\n/credit reporter Alice Example @alice-example\n/cve CVE-2026-12345\n/severity high\n/cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n/cwe CWE-787\n/advisory\n\nADVISORY: parse_header() copies a header longer than 4096 bytes into a fixed buffer.',
        [{ filename: 'fix.patch', content: PATCH }],
      );
      await command(miaReplyTo, `/disclose ${iso(disclosure)}`);
      const record = caseOf(caseId);
      expect(record.patches?.map((p) => p.filename)).toEqual(['fix.patch']);
      expect(record.disclosureAt).toBe(disclosure.toISOString());
      const pending = tick(at(start));
      expect(pending).toContain(
        `pending: ${caseId}-advance at ${new Date(disclosure.getTime() - 7 * DAY).toISOString()}`,
      );
      expect(pending).toContain(`pending: ${caseId}-disclosure at ${disclosure.toISOString()}`);
    });

    it('sends one encrypted advance notice per distributor on day −7, each naming no other distributor', async () => {
      tick(new Date(disclosure.getTime() - 7 * DAY + 60_000));
      const mails = await outbox();
      for (const name of ['debian', 'fedora'] as const) {
        const notices = to(mails, DISTRIBUTORS[name]);
        expect(notices).toHaveLength(1);
        const notice = notices[0]!;
        const other = name === 'debian' ? DISTRIBUTORS.fedora : DISTRIBUTORS.debian;
        expect(notice.raw).not.toContain(other);
        expect(notice.raw).not.toContain('ADVISORY:');
        const opened = await openPgpMime(gpg[name], notice);
        if ('error' in opened) throw new Error(opened.error);
        expect(opened.validSignatures).toContain(fingerprints.project);
        expect(opened.inner.text).toContain('ADVISORY: parse_header()');
        expect(opened.inner.text).toContain('the main branch and 2.4, 2.3');
        expect(opened.inner.text).toContain('2.4.1, 2.3.9');
        expect(opened.inner.text).not.toContain(other);
        // Beside the files, the disclosure as a calendar invite (nodemailer adds invite.ics).
        const files = opened.inner.attachments.filter(
          (a) => a.contentType !== 'text/calendar' && a.filename !== 'invite.ics',
        );
        expect(files.map((a) => a.filename)).toEqual([
          'fix.patch',
          `${caseId}.tlp-amber.csaf.json`,
        ]);
        // The embargoed CSAF copy carries TLP:AMBER and is not yet final.
        const csaf = JSON.parse(files[1]!.content.toString());
        expect(csaf.document.distribution.tlp.label).toBe('AMBER');
        expect(csaf.document.tracking.status).toBe('interim');
        // Only that distributor's key opens it.
        const otherGpg = name === 'debian' ? gpg.fedora : gpg.debian;
        expect('error' in (await openPgpMime(otherGpg, notice))).toBe(true);
      }
      const toAlice = to(mails, 'alice@example.net').filter((m) =>
        m.subject?.includes('Public disclosure planned'),
      );
      expect(toAlice).toHaveLength(1);
      const summary = to(mails, 'mia@example.org').find((m) =>
        m.subject?.includes('Advance notice sent to 2 distributors'),
      );
      const opened = await openPgpMime(gpg.mia, summary!);
      if ('error' in opened) throw new Error(opened.error);
      expect(opened.inner.text).toContain('Debian');
      expect(opened.inner.text).toContain('Fedora');
    });

    it('sends nothing new when the schedule fires again', async () => {
      const before = (await outbox()).length;
      tick(new Date(disclosure.getTime() - 7 * DAY + 120_000));
      // A duplicate delivery of the same trigger, as a scheduler may make.
      const again = cli('tick', '--now', new Date(disclosure.getTime() - 6 * DAY).toISOString());
      expect(again.status).toBe(0);
      expect((await outbox()).length).toBe(before);
    });

    it('re-notifies distributors when the date moves, and publishes on the new day with credit and exports', async () => {
      const moved = at(disclosure.getTime() + 2 * DAY);
      await command(miaReplyTo, `/disclose ${iso(moved)}`);
      tick(new Date(moved.getTime() - 7 * DAY + 60_000));
      let mails = await outbox();
      for (const name of ['debian', 'fedora'] as const) {
        // Silent two days after the updated notice, each also got its one reminder for the new date.
        const reminders = to(mails, DISTRIBUTORS[name]).filter((n) =>
          n.subject?.includes('Reminder: please confirm'),
        );
        expect(reminders).toHaveLength(1);
        const notices = to(mails, DISTRIBUTORS[name]).filter((n) => !reminders.includes(n));
        expect(notices).toHaveLength(2);
        const updated = await openPgpMime(
          gpg[name],
          notices.find((n) => n.subject?.includes('Updated advance notice'))!,
        );
        if ('error' in updated) throw new Error(updated.error);
        expect(updated.inner.text).toContain('UPDATE: the disclosure date moved');
      }
      // The old date's public notice does not fire.
      tick(new Date(disclosure.getTime() + 60_000));
      expect(to(await outbox(), 'announce@example.org')).toHaveLength(0);

      tick(new Date(moved.getTime() + 60_000));
      mails = await outbox();
      const announcements = to(mails, 'announce@example.org');
      expect(announcements).toHaveLength(1);
      const text = announcements[0]!.parsed.text ?? '';
      expect(text).toContain('ADVISORY: parse_header()');
      expect(text).toContain('Thanks to Alice Example (@alice-example) for reporting the issue.');
      expect(text).toContain('9.8 critical (CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H)');
      expect(text).toContain('CVE-2026-12345');
      const verified = gpg.reader.run(['--status-fd', '1', '--verify'], text);
      expect(verified.stdout.toString()).toContain(`VALIDSIG ${fingerprints.project}`);
      for (const d of Object.values(DISTRIBUTORS)) expect(announcements[0]!.raw).not.toContain(d);

      const checklist = to(mails, 'mia@example.org').find((m) =>
        m.subject?.includes('Disclosure day'),
      )!;
      const opened = await openPgpMime(gpg.mia, checklist);
      if ('error' in opened) throw new Error(opened.error);
      expect(opened.inner.text).toContain('Apply the patches');
      expect(opened.inner.text).toContain('Publish the CSAF document');
      const names = opened.inner.attachments.map((a) => a.filename);
      expect(names).toEqual([
        `${caseId}.osv.json`,
        'CVE-2026-12345.cve.json',
        `${caseId}.csaf.json`,
        `${caseId}.openvex.json`,
      ]);
      // The public CSAF carries no TLP label and is final, not a draft.
      const csaf = JSON.parse(opened.inner.attachments[2]!.content.toString());
      expect(csaf.document.distribution).toBeUndefined();
      expect(csaf.document.tracking.status).toBe('final');
      const osv = JSON.parse(opened.inner.attachments[0]!.content.toString());
      expect(osv.aliases).toContain('CVE-2026-12345');
      expect(osvSchemaProblems(osv)).toEqual([]);
      expect(osv.id).toBe(`x_CRYPTOLIB-${caseId}`);
      expect(osv.severity).toEqual([
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
      ]);
      // Supported releases 2.4 and 2.3: both fixed versions are outside every range.
      const [entry] = osv.affected;
      expect(entry.package).toEqual({ ecosystem: 'PyPI', name: 'cryptolib-core' });
      const verdicts = ['2.3.8', '2.3.9', '2.4.0', '2.4.1'].map((v) => osvAffects(entry, v));
      expect(verdicts).toEqual([true, false, true, false]);
      const cve = JSON.parse(opened.inner.attachments[1]!.content.toString());
      expect(cveSchemaProblems(cve)).toEqual([]);
      expect(cve.containers.cna.problemTypes[0].descriptions[0].cweId).toBe('CWE-787');
      expect(caseOf(caseId).disclosedAt).toBeDefined();
    });
  });

  it('shortens the advance period for an urgent case', async () => {
    const { miaReplyTo, caseId } = await openCase('Exploited in the wild');
    const disclosure = at(start + 3 * DAY);
    await command(miaReplyTo, `/urgent\n/advisory\n\nExploited in the wild.`);
    await command(miaReplyTo, `/disclose ${iso(disclosure)}`);
    const pending = tick(at(start));
    expect(pending).toContain(
      `pending: ${caseId}-advance at ${new Date(disclosure.getTime() - DAY).toISOString()}`,
    );
  });

  it('sends the advance notice at once when its time has already passed', async () => {
    const { miaReplyTo, caseId } = await openCase('Short notice');
    await command(miaReplyTo, `/advisory\n\nSHORT-NOTICE advisory.`);
    await command(miaReplyTo, `/disclose ${iso(at(start + 2 * DAY))}`);
    const mails = await outbox();
    const notices = to(mails, DISTRIBUTORS.debian).filter((m) =>
      m.subject?.startsWith(`[${caseId}]`),
    );
    expect(notices).toHaveLength(1);
  });

  it('cancels pending notices when the case is closed', async () => {
    const { miaReplyTo, caseId } = await openCase('Not a bug after all');
    await command(miaReplyTo, `/advisory\n\nWill be cancelled.`);
    await command(miaReplyTo, `/disclose ${iso(at(start + 20 * DAY))}`);
    expect(tick(at(start))).toContain(`${caseId}-disclosure`);
    await command(miaReplyTo, '/close invalid');
    expect(tick(at(start))).not.toContain(`${caseId}-`);
    tick(at(start + 21 * DAY));
    expect(
      to(await outbox(), 'announce@example.org').filter((m) => m.raw.includes('Will be cancelled')),
    ).toHaveLength(0);
  }, 120_000); // four command mails and two ticks through the CLI: about 50 s on two busy cores
});
