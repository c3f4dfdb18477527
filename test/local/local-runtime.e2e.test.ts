import { mkdtempSync, readFileSync } from 'node:fs';
import { readKey } from 'openpgp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { InboundRecord } from '../../shared/intake/inbound-ledger';
import { headerOf, readMaildir } from '../support/maildir';
import { runCli, startEmbargo, waitFor, type RunningEmbargo } from '../support/local-process';
import { parseSmtpAddress, rawMessage, sendRaw } from '../support/smtp-client';
import { closeEndToEnd } from '../support/e2e-suite';

const SECURITY = 'security@example.org';

describe('local runtime, driven from outside over SMTP and the CLI', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;

  const outbox = () => readMaildir(join(dataDir, 'outbox'));
  const smtp = () => parseSmtpAddress(embargo.smtpAddress);
  const storedId = (response: string) => /stored as (\S+)/.exec(response)?.[1] ?? '';

  const inbound = (): InboundRecord[] => JSON.parse(runCli(['inbound', '--json'], env).stdout);
  const outcomeOf = (messageId: string) =>
    waitFor(
      () => inbound().find((r) => r.messageId === messageId)?.outcome,
      (o) => o !== undefined,
    );

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'embargo-e2e-'));
    env = { EMBARGO_DATA_DIR: dataDir };
    embargo = await startEmbargo(env);
  });

  afterAll(() => closeEndToEnd({ embargo, dir: dataDir }));

  it('opens a case for a report and sends exactly one acknowledgment', async () => {
    const report = rawMessage({
      from: 'Alice <alice@example.net>',
      messageId: '<report-1@example.net>',
    });
    const response = await sendRaw(smtp(), { from: 'alice@example.net', to: [SECURITY] }, report);
    const outcome = await outcomeOf(storedId(response));
    expect(outcome).toEqual({ kind: 'case', caseId: `SEC-${new Date().getUTCFullYear()}-0001` });

    const mails = await waitFor(outbox, (m) => m.length === 1);
    const ack = mails[0]!;
    expect(ack.deliveredTo).toBe('alice@example.net');
    expect(ack.subject).toMatch(/^\[SEC-\d{4}-0001\] /);
    expect(ack.parsed.from?.value[0]?.address).toBe(SECURITY);
    expect(ack.parsed.inReplyTo).toBe('<report-1@example.net>');
    expect(headerOf(ack, 'Auto-Submitted')).toBe('auto-replied');
    expect(ack.parsed.replyTo?.value.map((v) => v.address)).toEqual([SECURITY]);
    expect(ack.parsed.text).toContain('48 hours');
    // On first start a project key was generated; the acknowledgment names it.
    const publicKey = await readKey({
      armoredKey: readFileSync(join(dataDir, 'keys', 'security-public.asc'), 'utf8'),
    });
    expect(embargo.output()).toContain('Generated a project key');
    expect(ack.parsed.text?.replace(/\s/g, '')).toContain(publicKey.getFingerprint().toUpperCase());
    expect(ack.parsed.text).not.toContain('overflows its heap');

    const cases: CaseRecord[] = JSON.parse(runCli(['cases', '--json'], env).stdout);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ status: 'new', reporter: { address: 'alice@example.net' } });
    expect(cases[0]?.acknowledgedAt).toBeDefined();
    // Piped, the table fits 80 columns; --wide shows the whole subject.
    const table = runCli(['cases'], env).stdout;
    expect(table).toContain(cases[0]!.id);
    expect(table).toMatch(/│ Heap overf[^│]*… │/);
    expect(table.split('\n').every((line) => line.length <= 80)).toBe(true);
    expect(runCli(['cases', '--wide'], env).stdout).toContain('Heap overflow in parser');
  });

  it('gives a second delivery of the same mail no second case and no second acknowledgment', async () => {
    const report = rawMessage({ from: 'alice@example.net', messageId: '<report-1@example.net>' });
    const response = await sendRaw(smtp(), { from: 'alice@example.net', to: [SECURITY] }, report);
    const firstId = inbound().find((r) => r.outcome?.kind === 'case')?.messageId;
    expect(await outcomeOf(storedId(response))).toEqual({
      kind: 'duplicate',
      duplicateOf: firstId,
    });
    expect(await outbox()).toHaveLength(1);
  });

  it.each([
    ['auto-replies', { 'Auto-Submitted': 'auto-replied' }, 'auto-submitted'],
    ['bulk mail', { Precedence: 'bulk' }, 'bulk-or-list'],
    ['mailing-list mail', { 'List-Id': '<dev.lists.example.net>' }, 'bulk-or-list'],
  ])('keeps %s without acknowledging them', async (_name, headers, reason) => {
    const raw = rawMessage({ from: 'robot@example.net', headers });
    const response = await sendRaw(smtp(), { from: 'robot@example.net', to: [SECURITY] }, raw);
    expect(await outcomeOf(storedId(response))).toEqual({ kind: 'rejected', reason });
    expect(await outbox()).toHaveLength(1);
  });

  it('keeps bounces (null sender) without acknowledging them', async () => {
    const raw = rawMessage({ from: 'MAILER-DAEMON@mx.example.net' });
    const response = await sendRaw(smtp(), { from: '', to: [SECURITY] }, raw);
    expect(await outcomeOf(storedId(response))).toEqual({ kind: 'rejected', reason: 'bounce' });
    expect(await outbox()).toHaveLength(1);
  });

  it('refuses mail for other recipients with a 550', async () => {
    await expect(
      sendRaw(
        smtp(),
        { from: 'alice@example.net', to: ['someone@example.org'] },
        rawMessage({ from: 'alice@example.net' }),
      ),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('shows a case and its history in the CLI', () => {
    const id = `SEC-${new Date().getUTCFullYear()}-0001`;
    const shown = runCli(['case', id], env);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('opened');
    expect(shown.stdout).toContain('acknowledged');
    const missing = runCli(['case', 'SEC-1999-0042'], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('There is no case SEC-1999-0042');
  });

  it('keeps cases across a restart and continues the sequence', async () => {
    expect(await embargo.stop()).toBe(0);
    const afterStop: CaseRecord[] = JSON.parse(runCli(['cases', '--json'], env).stdout);
    expect(afterStop).toHaveLength(1);

    embargo = await startEmbargo(env);
    const response = await sendRaw(
      smtp(),
      { from: 'bob@example.net', to: [SECURITY] },
      rawMessage({ from: 'bob@example.net', subject: 'Timing leak' }),
    );
    expect(await outcomeOf(storedId(response))).toEqual({
      kind: 'case',
      caseId: `SEC-${new Date().getUTCFullYear()}-0002`,
    });
    await waitFor(outbox, (m) => m.length === 2);
  });
});
