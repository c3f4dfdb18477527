import { spawnSync } from 'node:child_process';
import type { CaseRecord } from '../../shared/cases/case-record';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer, sendAndAwaitOutcome } from '../support/local-project';
import type { DeliveredMail } from '../support/maildir';
import { Neomutt, neomuttAvailable } from '../support/neomutt';
import { describeIfAvailable } from '../support/needed-in-ci';
import { closeEndToEnd, openAliceCase, readOutbox, startEndToEnd } from '../support/e2e-suite';
import fingerprints from '../fixtures/pgp/fingerprints.json';

const SECURITY = 'security@example.org';

/**
 * Real neomutt replying, encrypted, to what Embargo sent, with no Embargo-specific set-up: the
 * project key imported and certified after checking its fingerprint (what any GnuPG user does
 * with a new correspondent's key), and neomutt's usual PGP settings. Before replies went to the
 * plain address, neomutt stopped at "Enter keyID for security+sec-…@example.org:".
 */
const describeNeomutt = describeIfAvailable(
  'neomutt and tmux',
  neomuttAvailable(),
  'install them (apt-get install neomutt tmux)',
);

describeNeomutt('neomutt replying encrypted, with nothing configured for Embargo', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  let caseId = '';
  const alice = new GnuPg(['alice-secret.asc', 'project-public.asc']);
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  const outbox = () => readOutbox(dir);
  const current = (): CaseRecord => JSON.parse(runCli(['case', caseId, '--json'], env).stdout);

  async function first(address: string, subject: RegExp): Promise<DeliveredMail> {
    const match = (m: DeliveredMail) => m.deliveredTo === address && subject.test(m.subject);
    return (await waitFor(outbox, (mails) => mails.some(match))).find(match)!;
  }

  beforeAll(async () => {
    if (!neomuttAvailable())
      throw new Error('These tests drive real neomutt: apt-get install neomutt tmux');
    for (const [home, own] of [
      [alice, fingerprints.alice],
      [mia, fingerprints.mia],
    ] as const) {
      // As a user would: their own key trusted ultimately (it is when made, not when imported),
      // and the project key certified locally after checking its fingerprint. The test helper
      // runs gpg with `--trust-model always`; neomutt goes by the usual model, so plain gpg here.
      const gpg = (args: string[], input?: string) =>
        spawnSync('gpg', ['--homedir', home.home, '--batch', '--yes', ...args], { input });
      gpg(['--check-trustdb']);
      gpg(['--import-ownertrust'], `${own}:6:\n`);
      const certified = gpg(['--default-key', own, '--quick-lsign-key', fingerprints.project]);
      if (certified.status !== 0) throw new Error(certified.stderr.toString());
      gpg(['--check-trustdb']);
    }
    ({ dir, env, embargo } = await startEndToEnd('neomutt', {
      config: { maintainers: [fixtureMaintainer('mia')] },
    }));
    caseId = await openAliceCase({ embargo, env });
  });

  afterAll(() => closeEndToEnd({ embargo, gnupg: [alice, mia], dir }));

  it("sends the reporter's reply to the acknowledgment encrypted, and it joins the case", async () => {
    const ack = await first('alice@example.net', /received/);
    const client = new Neomutt({
      address: 'alice@example.net',
      name: 'Alice',
      gnupgHome: alice.home,
      keyId: fingerprints.alice,
    });
    try {
      const { sent, screen } = await client.reply(ack.raw, 'It also crashes on 2.3.');
      if (!sent) throw new Error(`neomutt sent nothing; its screen:\n${screen}`);
      expect(sent).toMatch(/^Content-Type: multipart\/encrypted/im);
      expect(sent).toMatch(new RegExp(`^To: .*${SECURITY}`, 'im'));
      expect(sent).not.toContain('It also crashes');
      const outcome = await sendAndAwaitOutcome(embargo, env, sent!, {
        from: 'alice@example.net',
        to: SECURITY,
      });
      expect(outcome).toMatchObject({ kind: 'follow-up', caseId });
    } finally {
      client.close();
    }
    const followUps = await waitFor(
      async () =>
        Promise.all(
          (await outbox())
            .filter((m) => m.deliveredTo === 'mia@example.org')
            .map((m) => openPgpMime(mia, m)),
        ),
      (opened) => opened.some((o) => 'inner' in o && /crashes on 2\.3/.test(o.inner.text ?? '')),
    );
    expect(followUps.length).toBeGreaterThan(1);
  });

  it("decrypts a maintainer's copy, sends the reply encrypted, and it reaches the reporter", async () => {
    const copy = await first('mia@example.org', /New report/);
    const client = new Neomutt({
      address: 'mia@example.org',
      name: 'Mia',
      gnupgHome: mia.home,
      keyId: fingerprints.mia,
    });
    try {
      const { sent, screen } = await client.reply(copy.raw, 'Thanks, we can reproduce it.');
      if (!sent) throw new Error(`neomutt sent nothing; its screen:\n${screen}`);
      expect(sent).toMatch(/^Content-Type: multipart\/encrypted/im);
      expect(sent).not.toContain('we can reproduce');
      await sendAndAwaitOutcome(embargo, env, sent!, { from: 'mia@example.org', to: SECURITY });
    } finally {
      client.close();
    }
    const relayed = await waitFor(outbox, (mails) =>
      mails.some((m) => m.deliveredTo === 'alice@example.net' && /reproduce/.test(m.raw)),
    );
    expect(relayed.filter((m) => m.deliveredTo === 'alice@example.net').length).toBeGreaterThan(1);
    expect(current().history.at(-1)).toMatchObject({
      authentication: { method: 'thread-reference' },
    });
  });
});
