import { execFileSync } from 'node:child_process';
import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { InboundOutcome } from '../../shared/intake/inbound-ledger';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { UnsafeRecipientError } from '../../shared/addresses/mailbox';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { reportWithKey } from '../support/attacker-mail';
import { resolvedMaintainer } from '../support/local-project';
import {
  pgpFixture,
  startServices,
  stopServices,
  testConfig,
  type Stores,
} from '../support/local-stores';
import { headerOf, maildirFiles, readMaildir, type DeliveredMail } from '../support/maildir';

/**
 * Issue 14: mail that tries to make Embargo write to another domain, or to take a key for an
 * address whose owner Embargo already knows. Each message is written as an attacker writes it
 * (raw header bytes), delivered as SES delivers it, with real stores and a real outbox.
 */
const SECURITY = 'security@example.org';
const DISTRIBUTOR = 'security@debian.example';
const fingerprints = JSON.parse(pgpFixture('fingerprints.json').toString()) as Record<
  string,
  string
>;

const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;
let sequence = 0;

function report(from: string, extra: string[] = [], body = 'The parser overflows.'): string {
  return crlf([
    `From: ${from}`,
    `To: ${SECURITY}`,
    'Subject: Heap overflow',
    'Date: Tue, 01 Dec 2026 09:00:00 +0000',
    `Message-ID: <attack-${++sequence}@attacker.example>`,
    ...extra,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
  ]);
}

describe('addresses and identities (issue 14)', () => {
  let stores: Stores;
  let services: EmbargoServices;
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  const attacker = new GnuPg([]);
  let attackerKey: { armored: string; binary: Buffer; fingerprint: string };
  const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

  beforeAll(async () => {
    ({ stores, services } = await startServices(config));
    await services.distributors.put({
      email: DISTRIBUTOR,
      name: 'Debian',
      publicKeyArmored: pgpFixture('debian-public.asc').toString(),
      fingerprint: fingerprints.debian!,
      addedAt: '2026-11-01T00:00:00.000Z',
    });
    // The attacker's own key, with user ids naming the addresses it wants to take over.
    const fpr = attacker.generate('attacker <mia@example.org>');
    for (const uid of [DISTRIBUTOR, SECURITY]) attacker.addUserId(fpr, `attacker <${uid}>`);
    attackerKey = attacker.exportKey(fpr);
  }, 60_000);

  afterAll(() => stopServices(stores, [mia, attacker]));

  /** Delivers as SES does; returns the outcome, the case (if any) and the mail it caused. */
  async function deliver(raw: string, envelopeFrom: string) {
    const before = new Set(maildirFiles(stores.outboxDir));
    const casesBefore = await services.cases.list();
    const messageId = `issue14-${++sequence}`;
    await services.rawMail.put(messageId, Buffer.from(raw, 'utf8'));
    const outcome: InboundOutcome = await services.intake.receive({
      messageId,
      receivedAt: new Date(),
      envelopeFrom,
      recipients: [SECURITY],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    });
    const sent = await readMaildir(stores.outboxDir, before);
    const record =
      'caseId' in outcome ? await services.cases.get(outcome.caseId as CaseId) : undefined;
    // Nothing else changed: every other case is as it was.
    const others = (await services.cases.list()).filter((c) => c.id !== record?.id);
    expect(others.map((c) => [c.id, c.version])).toEqual(
      casesBefore.filter((c) => c.id !== record?.id).map((c) => [c.id, c.version]),
    );
    expect((await services.rawMail.get(messageId)).toString('utf8')).toBe(raw);
    return { outcome, record, sent, messageId };
  }

  const recipients = (sent: DeliveredMail[]) => sent.map((m) => m.deliveredTo).sort();
  const warnings = (record: CaseRecord | undefined) =>
    (record?.history ?? []).filter((e) => e.type === 'sender-warning').map((e) => e.summary);

  async function miaCopy(sent: DeliveredMail[]): Promise<string> {
    const copy = sent.find((m) => m.deliveredTo === 'mia@example.org');
    if (!copy) throw new Error('no copy for mia');
    const opened = await openPgpMime(mia, copy);
    if ('error' in opened) throw new Error(opened.error);
    return opened.inner.text ?? '';
  }

  it('opens a case for a From that parses into another domain, sends it nothing, and tells the maintainers why', async () => {
    const { outcome, record, sent } = await deliver(
      report('R <r@example.net(a(b)c)@evil.test>'),
      'r@example.net',
    );
    expect(outcome.kind).toBe('case');
    expect(record?.reporter.address).toBe('R <r@example.net(a(b)c)@evil.test>');
    expect(record?.reporterAddressProblem).toMatch(/comment/);
    expect(record?.ackHeld).toMatch(/From header was refused/);
    expect(record?.acknowledgedAt).toBeUndefined();
    expect(record?.history.map((e) => e.type)).not.toContain('acknowledged');
    expect(warnings(record)).toEqual([expect.stringMatching(/^From header refused: .*comment/)]);
    // Only the maintainer's copy went out: nothing to evil.test, nothing to the envelope sender.
    expect(recipients(sent)).toEqual(['mia@example.org']);
    expect(sent.map((m) => m.raw).join('\n')).not.toMatch(/evil\.test/);
    const text = await miaCopy(sent);
    expect(text).toContain('WARNING:      From header refused');
    expect(text).toContain('envelope sender: r@example.net');
  });

  it.each([
    ['a quoted local part with an @', '"r@example.net"@evil.test', 'r@example.net'],
    ['the nodemailer advisory payload', '"xclow3n@gmail.com x"@evil.test', 'x@gmail.com'],
    ['two @', 'R <r@example.net@evil.test>', 'r@example.net'],
    ['a comment after the domain', 'r@example.net(x)evil.test', 'r@example.net'],
    ['nested comments', 'r@example.net(a(b)c)', 'r@example.net'],
    ['a comment in the local part', 'r(evil.test)@example.net', 'r@example.net'],
    ['two addresses', 'r@example.net, x@evil.test', 'r@example.net'],
    ['a group', 'friends: x@evil.test;', 'r@example.net'],
    ['a route', '<@evil.test:r@example.net>', 'r@example.net'],
    ['an encoded word with an address', '=?utf-8?q?r@example.net?= <x@evil.test>', 'x@evil.test'],
    ['an unquoted address as the name', 'r@example.net <x@evil.test>', 'x@evil.test'],
    ['text after the address', '<r@example.net> x@evil.test', 'r@example.net'],
    ['an address literal', 'r@[192.0.2.7]', 'r@example.net'],
    ['a percent-encoded domain', 'r@evil%2etest', 'r@example.net'],
    ['a UTF-7 local part', '+AHI-@example.net+ACY-', 'r@example.net'],
    ['a folded address', 'R <r@example.net\r\n (x)@evil.test>', 'r@example.net'],
  ])('opens a case for a From with %s, unacknowledged', async (_name, from, envelope) => {
    const { outcome, record, sent } = await deliver(report(from), envelope);
    expect(outcome.kind).toBe('case');
    expect(record?.reporterAddressProblem).toBeDefined();
    expect(record?.acknowledgedAt).toBeUndefined();
    expect(recipients(sent)).toEqual(['mia@example.org']);
  });

  it('acknowledges a plain From at an internationalised domain, in A-labels on both header and envelope', async () => {
    const { record, sent } = await deliver(
      report('Rüdiger <r@bücher.example>'),
      'r@xn--bcher-kva.example',
    );
    expect(record?.reporter.address).toBe('r@xn--bcher-kva.example');
    expect(warnings(record)).toEqual([]);
    const ack = sent.find((m) => m.deliveredTo === 'r@xn--bcher-kva.example');
    expect(ack && headerOf(ack, 'to')).toMatch(/<r@xn--bcher-kva\.example>$/);
  });

  it('records and shows a From mailbox that is not the envelope sender, and still acknowledges it', async () => {
    const { record, sent } = await deliver(
      report('Alice <alice@example.net>'),
      'bounces+x7@lists.example.com',
    );
    expect(record?.reporter.address).toBe('alice@example.net');
    expect(warnings(record)).toEqual([
      expect.stringContaining(
        'From alice@example.net is not the envelope sender bounces+x7@lists.example.com',
      ),
    ]);
    expect(recipients(sent)).toEqual(['alice@example.net', 'mia@example.org']);
    expect(await miaCopy(sent)).toContain(
      'WARNING:      From alice@example.net is not the envelope sender',
    );
  });

  it("never takes a key offered in a maintainer's name as the reporter key, and shows the mail as an impersonation attempt", async () => {
    const { outcome, record, sent } = await deliver(
      reportWithKey(
        'm1 <mia@example.org>',
        'mia@example.org',
        attackerKey.armored,
        attackerKey.binary,
      ),
      'mia@example.org',
    );
    expect(outcome.kind).toBe('case');
    expect(record?.reporter.address).toBe('mia@example.org');
    expect(record?.reporterKey).toBeUndefined();
    expect(record?.history.filter((e) => e.type === 'reporter-key')).toEqual([]);
    expect(warnings(record)).toEqual(
      expect.arrayContaining([
        `Impersonation attempt: this mail offers key ${attackerKey.fingerprint} for mia@example.org, the address of maintainer Mia. It was not recorded as anyone's key.`,
      ]),
    );
    // The acknowledgment goes to the real mailbox unencrypted: never to the attacker's key.
    const ack = sent.find(
      (m) => m.deliveredTo === 'mia@example.org' && /received/i.test(m.subject ?? ''),
    );
    expect(ack).toBeDefined();
    expect(ack!.raw).not.toMatch(/multipart\/encrypted/);
    // The maintainer's copy is encrypted to the registered key, and says what happened.
    const copies = sent.filter((m) => /New report/.test(m.subject ?? ''));
    expect(copies).toHaveLength(1);
    const decryptedByAttacker = await openPgpMime(attacker, copies[0]!);
    expect('error' in decryptedByAttacker).toBe(true);
    expect(await miaCopy(copies)).toContain('WARNING:      Impersonation attempt');
    expect(config.maintainers[0]!.publicKeyArmored).toBe(pgpFixture('mia-public.asc').toString());
  });

  it("refuses a key offered for a distributor's or the project's address, from anyone", async () => {
    const { record } = await deliver(
      reportWithKey(DISTRIBUTOR, DISTRIBUTOR, attackerKey.armored, attackerKey.binary),
      DISTRIBUTOR,
    );
    expect(record?.reporterKey).toBeUndefined();
    const found = warnings(record);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`for ${DISTRIBUTOR}, the address of a distributor`),
        expect.stringContaining(`for ${SECURITY}, the address of the project`),
        expect.stringContaining('for mia@example.org, the address of maintainer Mia'),
      ]),
    );
    // The distributor list shows no other distributor's address in what maintainers read.
    expect(found.join('\n')).not.toMatch(/fedora/);
  });

  it('still takes a key for a reporter whose own address it names', async () => {
    const { record } = await deliver(
      reportWithKey(
        'Alice <alice@example.net>',
        'alice@example.net',
        pgpFixture('alice-public.asc').toString(),
        Buffer.from(execFileSync('gpg', ['--dearmor'], { input: pgpFixture('alice-public.asc') })),
      ),
      'alice@example.net',
    );
    expect(record?.reporterKey?.fingerprint).toBe(fingerprints.alice);
    expect(warnings(record)).toEqual([]);
  });

  it("records a forged maintainer reply that offers a key for the maintainer's address on the case, and changes nothing else", async () => {
    const { record: opened, sent } = await deliver(
      report('Alice <alice@example.net>'),
      'alice@example.net',
    );
    const ack = sent.find((m) => m.deliveredTo === 'alice@example.net')!;
    const reply = reportWithKey(
      'Mia <mia@example.org>',
      'mia@example.org',
      attackerKey.armored,
      attackerKey.binary,
    ).replace(
      'Subject: Please use my new key',
      `Subject: Re: [${opened!.id}]\r\nIn-Reply-To: ${ack.parsed.messageId}`,
    );
    const { outcome, record } = await deliver(reply, 'mia@example.org');
    expect(outcome).toEqual({ kind: 'follow-up', caseId: opened!.id });
    expect(record?.reporter).toEqual(opened!.reporter);
    expect(record?.reporterKey).toBeUndefined();
    expect(warnings(record)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Impersonation attempt: .* for mia@example\.org, the address of maintainer Mia/,
        ),
      ]),
    );
    expect(record?.status).toBe(opened!.status);
    expect(record?.history.filter((e) => e.type === 'commands-applied')).toEqual([]);
  });

  it('refuses, at the dispatcher, to send any mail to an address that fails the check', async () => {
    const before = maildirFiles(stores.outboxDir).length;
    const record = (await services.cases.list())[0]!;
    for (const address of [
      'r@example.net@evil.test',
      '"r@example.net"@evil.test',
      'x@evil.test\r\nBcc: y@z.org',
    ]) {
      await expect(
        services.mailer.toAddress(record, address, { key: 'probe', subject: 'x', text: 'x' }),
      ).rejects.toThrow(UnsafeRecipientError);
    }
    expect(maildirFiles(stores.outboxDir)).toHaveLength(before);
  });
});
