import type { CaseId } from '../../shared/cases/case-id';
import {
  CASE_ITEM_LIMIT_BYTES,
  OPEN_MAIL_BUDGET_BYTES,
  caseSizeBytes,
} from '../../shared/intake/case-capacity';
import type { CaseEvent } from '../../shared/cases/case-record';
import { newReplyToken } from '../../shared/threads/reply-token';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { deliver } from '../support/deliver';
import { GnuPg, signedMail } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';
import { rawMessage } from '../support/smtp-client';

const config = {
  ...testConfig,
  maintainers: [resolvedMaintainer('mia'), resolvedMaintainer('max')],
};
const REPORTER = 'flood@example.net';

/** What ~550 follow-ups leave in a history: one received and one forwarded event each. */
function floodHistory(count: number): CaseEvent[] {
  const at = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => ({
    id: `forwarded:flood-${i}`,
    at,
    type: 'forwarded' as const,
    actor: 'security@example.org',
    summary: `Sent encrypted to Mia, Max (${'x'.repeat(400)})`,
    messageId: `flood-${i}`,
  }));
}

describe('a case filled by a flood of mail still works for its maintainers', () => {
  let stores: Stores;
  let services: EmbargoServices;
  let sequence = 0;
  beforeAll(async () => {
    stores = await startStores();
    services = stores.services({ config });
  });
  afterAll(() => stores.stop());

  async function fullCase(): Promise<{ id: CaseId; miaToken: string }> {
    sequence += 1;
    const id = `SEC-2026-${String(900 + sequence).padStart(4, '0')}` as CaseId;
    const miaToken = newReplyToken(id);
    const base = caseRecord(id, {
      reporter: { address: REPORTER },
      acknowledgedAt: new Date().toISOString(),
      maintainerReplyTokens: { 'mia@example.org': miaToken },
    });
    await services.cases.createIfAbsent({
      ...base,
      history: [...base.history, ...floodHistory(600)],
    });
    const stored = (await services.cases.get(id))!;
    expect(caseSizeBytes(stored)).toBeGreaterThan(OPEN_MAIL_BUDGET_BYTES);
    expect(caseSizeBytes(stored)).toBeLessThan(CASE_ITEM_LIMIT_BYTES);
    return { id, miaToken };
  }

  const deliverMail = (messageId: string, raw: string, from: string, to: string) =>
    deliver(services, { messageId, raw, from, to });

  const followUp = (id: CaseId, n: number) =>
    rawMessage({
      from: REPORTER,
      subject: `Re: [${id}] and another thing`,
      body: `follow-up ${n}`,
      messageId: `<flood-${id}-${n}@example.net>`,
    });

  it('keeps outside mail unread, tells the maintainers once, and still takes signed commands', async () => {
    const { id, miaToken } = await fullCase();
    const before = (await services.cases.get(id))!.history.length;

    for (const n of [1, 2]) {
      expect(
        await deliverMail(`${id}-f${n}`, followUp(id, n), REPORTER, 'security@example.org'),
      ).toEqual({ kind: 'quarantined', reason: 'case-full' });
      // Kept, as every message is.
      expect((await services.rawMail.get(`${id}-f${n}`)).length).toBeGreaterThan(0);
    }
    // Anyone can put a maintainer's address in From: unsigned, that is outside mail too.
    const forged = rawMessage({
      from: 'mia@example.org',
      to: `security+${miaToken}@example.org`,
      subject: `Re: [${id}] x`,
      body: '/close invalid',
      messageId: `<forged-${id}@example.org>`,
    });
    expect(
      await deliverMail(
        `${id}-forged`,
        forged,
        'mia@example.org',
        `security+${miaToken}@example.org`,
      ),
    ).toEqual({ kind: 'quarantined', reason: 'case-full' });

    let record = (await services.cases.get(id))!;
    expect(record.history.map((e) => e.type).slice(before)).toEqual(['case-full']);
    expect(record.history.some((e) => e.messageId === `${id}-f2`)).toBe(false);
    expect(record.status).toBe('triaged');

    const mail = (await readMaildir(stores.outboxDir)).filter((m) =>
      m.subject?.startsWith(`[${id}]`),
    );
    // Nothing to the sender (no reply to feed a flood), one notice per maintainer, no copies.
    expect(mail.map((m) => m.deliveredTo).sort()).toEqual(['max@example.org', 'mia@example.org']);
    expect(mail.every((m) => /Case full/.test(m.subject ?? ''))).toBe(true);

    // The case still moves: a command mia signed is applied.
    const mia = new GnuPg(['mia-secret.asc']);
    const command = signedMail(
      mia,
      {
        from: 'mia@example.org',
        to: `security+${miaToken}@example.org`,
        subject: `Re: [${id}] x`,
        messageId: `<command-${id}@example.org>`,
      },
      '/severity high',
    );
    mia.close();
    expect(
      await deliverMail(
        `${id}-cmd`,
        command,
        'mia@example.org',
        `security+${miaToken}@example.org`,
      ),
    ).toEqual({ kind: 'follow-up', caseId: id });
    record = (await services.cases.get(id))!;
    expect(record.severity).toBe('high');
    expect(record.history.at(-1)?.type).toBe('commands-applied');

    // The same signed mail again under a new Message-ID (headers are not signed): a replay,
    // which would otherwise add a refusal to the case each time.
    const replay = command.replace(`<command-${id}@example.org>`, `<replay-${id}@example.org>`);
    expect(replay).not.toBe(command);
    expect(
      await deliverMail(
        `${id}-replay`,
        replay,
        'mia@example.org',
        `security+${miaToken}@example.org`,
      ),
    ).toEqual({ kind: 'quarantined', reason: 'case-full' });
    expect((await services.cases.get(id))!.history.length).toBe(record.history.length);
  });

  it('adds outside mail as before while a case is below the budget', async () => {
    sequence += 1;
    const id = `SEC-2026-${String(900 + sequence).padStart(4, '0')}` as CaseId;
    await services.cases.createIfAbsent(
      caseRecord(id, {
        reporter: { address: REPORTER },
        acknowledgedAt: new Date().toISOString(),
      }),
    );
    expect(
      await deliverMail(`${id}-f1`, followUp(id, 1), REPORTER, 'security@example.org'),
    ).toEqual({
      kind: 'follow-up',
      caseId: id,
    });
    const types = (await services.cases.get(id))!.history.map((e) => e.type);
    expect(types).toContain('forwarded');
    expect(types).not.toContain('case-full');
  });
});
