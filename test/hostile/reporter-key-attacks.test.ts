import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { reportWithKey } from '../support/attacker-mail';
import { deliver } from '../support/deliver';
import { GnuPg, openPgpMime, signedMail } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import {
  pgpFixture,
  startServices,
  stopServices,
  testConfig,
  type Stores,
} from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };
const ALICE = 'alice@example.net';
const fingerprints = JSON.parse(pgpFixture('fingerprints.json').toString()) as Record<
  string,
  string
>;

/**
 * Issue 25 ("Reporter keys"): an unsigned follow-up with the reporter's From and the case tag,
 * carrying another key for the same address, replaced the reporter key, and the maintainers'
 * next answer was encrypted to the attacker. Real stores, real GnuPG keys and signatures.
 */
describe("who may replace a case's reporter key (issue 25)", () => {
  let stores: Stores;
  let services: EmbargoServices;
  const alice = new GnuPg(['alice-secret.asc']);
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  const attacker = new GnuPg([]);
  const other = new GnuPg([]);
  const keys: Record<'evil' | 'next', { armored: string; binary: Buffer; fingerprint: string }> =
    {} as never;
  let n = 0;

  beforeAll(async () => {
    ({ stores, services } = await startServices(config));
    for (const [name, gpg] of [
      ['evil', attacker],
      ['next', other],
    ] as const) {
      keys[name] = gpg.exportKey(gpg.generate(`Alice <${ALICE}>`));
    }
  }, 60_000);
  afterAll(() => stopServices(stores, [alice, mia, attacker, other]));

  const mailTo = async (address: string) =>
    (await readMaildir(stores.outboxDir)).filter((m) => m.deliveredTo === address);

  async function send(raw: string, from: string) {
    n += 1;
    return deliver(services, { messageId: `rk-${n}`, raw, from, to: 'security@example.org' });
  }

  /** Alice reports with her key attached; returns the case and the mails to answer. */
  async function openCase() {
    const before = new Set(
      [...(await mailTo(ALICE)), ...(await mailTo('mia@example.org'))].map((m) => m.file),
    );
    const outcome = await send(
      reportWithKey(
        `Alice <${ALICE}>`,
        ALICE,
        pgpFixture('alice-public.asc').toString(),
        alice.run(['--export', fingerprints.alice!]).stdout,
      ),
      ALICE,
    );
    if (outcome.kind !== 'case') throw new Error(JSON.stringify(outcome));
    const id = outcome.caseId as CaseId;
    expect((await services.cases.get(id))!.reporterKey?.fingerprint).toBe(fingerprints.alice);
    const fresh = (m: { file: string }) => !before.has(m.file);
    const ack = (await mailTo(ALICE)).find(fresh)!;
    const copy = (await mailTo('mia@example.org')).find(fresh)!;
    return { id, ackId: ack.parsed.messageId!, copyId: copy.parsed.messageId! };
  }

  it('keeps the reporter key when an unsigned follow-up in the reporter’s name offers another, and tells the maintainers', async () => {
    const { id, ackId } = await openCase();
    const forged = reportWithKey(
      `Alice <${ALICE}>`,
      ALICE,
      keys.evil.armored,
      keys.evil.binary,
    ).replace('Subject: Please use my new key', `Subject: Re: [${id}]\r\nIn-Reply-To: ${ackId}`);
    const before = new Set((await mailTo('mia@example.org')).map((m) => m.file));
    expect(await send(forged, ALICE)).toEqual({ kind: 'follow-up', caseId: id });
    const copy = (await mailTo('mia@example.org')).find((m) => !before.has(m.file))!;
    const opened = await openPgpMime(mia, copy);
    if ('error' in opened) throw new Error(opened.error);
    expect(opened.inner.text).toContain(`It was NOT taken`);
    const record = (await services.cases.get(id))!;
    expect(record.reporterKey?.fingerprint).toBe(fingerprints.alice);
    expect(record.history.at(-2)?.summary ?? '').toMatch(
      new RegExp(`^Reporter key ${keys.evil.fingerprint} offered but not taken`),
    );
  });

  it('keeps it too when the mail is signed, but with the offered key itself', async () => {
    const { id, ackId } = await openCase();
    const signedByEvil = signedMail(
      attacker,
      {
        from: `Alice <${ALICE}>`,
        to: 'security@example.org',
        subject: `Re: [${id}]`,
        messageId: `<evil-${n}@example.net>`,
        inReplyTo: ackId,
      },
      'My new key is attached.',
      [{ filename: 'key.asc', content: keys.evil.armored }],
    );
    expect(await send(signedByEvil, ALICE)).toEqual({ kind: 'follow-up', caseId: id });
    expect((await services.cases.get(id))!.reporterKey?.fingerprint).toBe(fingerprints.alice);
  });

  it('replaces it with a key sent in mail signed with the established key', async () => {
    const { id, ackId } = await openCase();
    const rotation = signedMail(
      alice,
      {
        from: `Alice <${ALICE}>`,
        to: 'security@example.org',
        subject: `Re: [${id}]`,
        messageId: `<rotate-${n}@example.net>`,
        inReplyTo: ackId,
      },
      'I moved to a new key; it is attached.',
      [{ filename: 'key.asc', content: keys.next.armored }],
    );
    expect(await send(rotation, ALICE)).toEqual({ kind: 'follow-up', caseId: id });
    const record = (await services.cases.get(id))!;
    expect(record.reporterKey?.fingerprint).toBe(keys.next.fingerprint);
    expect(
      record.history.some((e) => e.summary.includes(`in place of ${fingerprints.alice}`)),
    ).toBe(true);
  });

  it('replaces it by a maintainer’s signed /reporter-key with the key attached, and refuses the command without one', async () => {
    const { id, copyId } = await openCase();
    const command = (body: string, attachments: { filename: string; content: string }[]) =>
      signedMail(
        mia,
        {
          from: 'mia@example.org',
          to: 'security@example.org',
          subject: 'Re: x',
          messageId: `<rk-cmd-${n}-${attachments.length}@example.org>`,
          inReplyTo: copyId,
        },
        body,
        attachments,
      );
    expect(await send(command('/reporter-key', []), 'mia@example.org')).toEqual({
      kind: 'follow-up',
      caseId: id,
    });
    let record = (await services.cases.get(id))!;
    expect(record.reporterKey?.fingerprint).toBe(fingerprints.alice);
    expect(record.history.at(-1)?.summary).toMatch(/^Commands not applied.*\/reporter-key needs/);
    expect(
      (await mailTo('mia@example.org')).filter(
        (m) => m.subject?.includes(`[${id}]`) && m.subject.includes('Commands not applied'),
      ),
    ).toHaveLength(1);

    await send(
      command('/reporter-key', [{ filename: 'alice-new.asc', content: keys.next.armored }]),
      'mia@example.org',
    );
    record = (await services.cases.get(id))!;
    expect(record.reporterKey?.fingerprint).toBe(keys.next.fingerprint);
    const applied = record.history.find((e) => e.type === 'commands-applied');
    expect(applied?.changes).toEqual([
      `reporter key: ${fingerprints.alice} → ${keys.next.fingerprint}`,
      expect.stringMatching(/^status: /),
    ]);
  });
});
