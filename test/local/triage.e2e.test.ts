import { join } from 'node:path';
import type { CaseRecord } from '../../shared/cases/case-record';
import { closeEndToEnd, startEndToEnd } from '../support/e2e-suite';
import { GnuPg, openPgpMime, signedMail } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome } from '../support/local-project';
import { readMaildir, type DeliveredMail } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const SECURITY = 'security@example.org';
const EXAMPLES_REPLY =
  'The programs under examples/ show how to call the library and are not shipped; see SECURITY.md.';

/** Triage over SMTP (#28): what a report lacks is asked for, scope and history are shown. */
describe('triage of reports over SMTP', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let counter = 0;
  const gpg = { mia: new GnuPg(['mia-secret.asc', 'project-public.asc']) };

  const outbox = () => readMaildir(join(dir, 'data', 'outbox'));
  const caseOf = (id: string): CaseRecord => JSON.parse(runCli(['case', id, '--json'], env).stdout);
  const nextId = () => `<triage${++counter}-${Date.now()}@example.test>`;
  const send = (raw: string, from: string) =>
    sendAndAwaitOutcome(embargo, env, raw, { from, to: SECURITY });

  /** The newest mail to an address whose subject matches, once it is in the outbox. */
  async function latest(address: string, subject: RegExp): Promise<DeliveredMail> {
    const pick = (mails: DeliveredMail[]) =>
      mails.filter((m) => m.deliveredTo === address && subject.test(m.subject ?? '')).at(-1);
    return pick(await waitFor(outbox, (mails) => pick(mails) !== undefined))!;
  }

  async function miaReads(caseId: string, subject: RegExp): Promise<string> {
    const pick = (mails: DeliveredMail[]) =>
      mails.filter(
        (m) =>
          m.deliveredTo === 'mia@example.org' &&
          (m.subject ?? '').includes(`[${caseId}]`) &&
          subject.test(m.subject ?? ''),
      );
    const mails = await waitFor(outbox, (all) => pick(all).length > 0);
    const opened = await openPgpMime(gpg.mia, pick(mails).at(-1)!);
    if ('error' in opened) throw new Error(opened.error);
    return opened.inner.text ?? '';
  }

  async function report(from: string, body: string): Promise<string> {
    const outcome = await send(
      rawMessage({ from, subject: 'Security issue', messageId: nextId(), body }),
      /<(.+)>/.exec(from)?.[1] ?? from,
    );
    if (outcome?.kind !== 'case') throw new Error(`no case: ${JSON.stringify(outcome)}`);
    return outcome.caseId;
  }

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('triage', {
      config: {
        maintainers: [fixtureMaintainer('mia')],
        askAboutAi: true,
        outOfScope: [
          {
            id: 'examples',
            rule: 'code under examples/ is not shipped',
            keywords: ['examples/'],
            reply: EXAMPLES_REPLY,
          },
        ],
      },
    }));
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: Object.values(gpg), dir }));

  let aliceFirst = '';

  it('asks, in the acknowledgment, for the version a report lacks; the answer joins the case', async () => {
    aliceFirst = await report(
      'Alice <alice@example.net>',
      'The header parser reads past its buffer.\nSteps to reproduce: run ./parse crash.bin\nImpact: an attacker can read heap memory.',
    );
    const ack = await latest('alice@example.net', /was received/);
    const text = ack.parsed.text ?? '';
    expect(text).toContain('please reply with what your report does not say yet:');
    expect(text).toContain('- the affected version: the release, or the commit, you found it in');
    expect(text).toContain('- whether you used AI tools');
    expect(text).not.toContain('how to reproduce it');
    expect(caseOf(aliceFirst).status).toBe('new');

    const answer = rawMessage({
      from: 'alice@example.net',
      subject: `Re: ${ack.subject}`,
      messageId: nextId(),
      body: 'It is version 2.4.1; no AI tools were used.',
      headers: { 'In-Reply-To': ack.parsed.messageId ?? '' },
    });
    expect(await send(answer, 'alice@example.net')).toEqual({
      kind: 'follow-up',
      caseId: aliceFirst,
    });
    expect(caseOf(aliceFirst).history.some((e) => e.type === 'follow-up')).toBe(true);
    expect(await miaReads(aliceFirst, /Follow-up from the reporter/)).toContain(
      'It is version 2.4.1',
    );
    const copy = await miaReads(aliceFirst, /New report/);
    expect(copy).toContain('Missing:      version (the acknowledgment asked for it)');
    expect(copy).toContain("Sender's history: no earlier case from alice@example.net");
  });

  it('marks an out-of-scope report in the copy; /reply out-of-scope sends the project text, previewed by --dry-run', async () => {
    const caseId = await report(
      'bob@example.net',
      'Version 3.1: a crash in examples/server.c when run with a long argument; an attacker could crash the demo. Found with ChatGPT.',
    );
    const copy = await miaReads(caseId, /New report/);
    expect(copy).toContain(
      'OUT OF SCOPE? examples: code under examples/ is not shipped (matched "examples/"); /reply out-of-scope',
    );
    expect(copy).toContain('AI tools:     the report says so ("ChatGPT")');
    const ack = await latest('bob@example.net', /was received/);
    expect(ack.parsed.text).not.toContain('AI tools');

    const dry = runCli(['command', '--dry-run', caseId, '/reply out-of-scope'], env);
    expect(dry.stdout).toContain(
      'the reply "out-of-scope (examples)" to the reporter bob@example.net:',
    );
    expect(dry.stdout).toContain(`| ${EXAMPLES_REPLY}`);
    expect(dry.stdout).toContain('Nothing was changed or sent (--dry-run).');

    const miaCopy = await latest('mia@example.org', new RegExp(`\\[${caseId}\\] New report`));
    const command = signedMail(
      gpg.mia,
      {
        from: 'Mia <mia@example.org>',
        to: SECURITY,
        subject: `Re: ${miaCopy.subject}`,
        messageId: nextId(),
        inReplyTo: miaCopy.parsed.messageId,
      },
      '/reply out-of-scope\n/close out-of-scope examples are not shipped\n/label scope',
    );
    expect(await send(command, 'mia@example.org')).toEqual({ kind: 'follow-up', caseId });
    const reply = await latest('bob@example.net', /Reply from the example security team/);
    expect(reply.parsed.text).toContain(EXAMPLES_REPLY);
    const confirmation = await miaReads(caseId, /Commands applied/);
    expect(confirmation).toContain(
      'the reply "out-of-scope (examples)" to the reporter bob@example.net:',
    );
    expect(confirmation).toContain(`| ${EXAMPLES_REPLY}`);
    expect(caseOf(caseId)).toMatchObject({
      status: 'closed',
      resolution: 'out-of-scope',
      resolutionReason: 'examples are not shipped',
      labels: ['scope'],
    });
  });

  it("shows a sender's earlier case and how it ended in the copy of their next report", async () => {
    const ended = runCli(
      ['command', aliceFirst, '/invalid not reproducible in 2.4.1', '/note Alice agreed'],
      env,
    );
    expect(ended.stderr).toBe('');
    const record = caseOf(aliceFirst);
    expect(record).toMatchObject({ status: 'closed', resolution: 'invalid' });
    expect(record.resolvedAt).toBeDefined();
    expect(record.history.find((e) => e.type === 'note')?.summary).toBe(
      'Note (maintainers only): Alice agreed',
    );

    const second = await report(
      'alice@example.net',
      'In 2.5.0 the parser crashes; run ./parse other.bin; an attacker can stop the service.',
    );
    const copy = await miaReads(second, /New report/);
    expect(copy).toContain("Sender's history: 1 earlier case from alice@example.net");
    expect(copy).toMatch(
      new RegExp(`${aliceFirst}  \\d{4}-\\d\\d-\\d\\d  invalid: not reproducible in 2\\.4\\.1`),
    );
    // The note stayed with the maintainers: nothing the reporter received holds it.
    const toAlice = (await outbox()).filter((m) => m.deliveredTo === 'alice@example.net');
    expect(toAlice.some((m) => (m.parsed.text ?? '').includes('Alice agreed'))).toBe(false);
  });
});
