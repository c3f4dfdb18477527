import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InboundRecord } from '../../shared/intake/inbound-ledger';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { runCli, waitFor, type RunningEmbargo } from '../support/local-process';
import { fixtureMaintainer } from '../support/local-project';
import { parseSmtpAddress, rawMessage, sendRaw } from '../support/smtp-client';
import { closeEndToEnd, mailsTo as to, readOutbox, startEndToEnd } from '../support/e2e-suite';

const HOUR = 3_600_000;
const FLOOD_SENDERS = Array.from({ length: 4 }, (_, i) => `bot${i}@flood${i}.example`);
const PER_FLOOD_SENDER = 12;
const GENUINE = Array.from({ length: 6 }, (_, i) => `reporter${i}@genuine${i}.example`);

/**
 * Issue #17's promise, end to end over SMTP into local mode: during a flood every genuine
 * report is acknowledged and copied, the flood senders hear once, the maintainers get a
 * digest instead of copies, and the 48-hour watch still warns.
 */
describe('a flood of reports, over SMTP into local mode', () => {
  let dir: string;
  let env: Record<string, string>;
  let embargo: RunningEmbargo;
  const mia = new GnuPg(['mia-secret.asc', 'project-public.asc']);
  const cli = (...args: string[]) => runCli(args, env);
  const outbox = () => readOutbox(dir);
  const inbound = (): InboundRecord[] => JSON.parse(cli('inbound', '--json').stdout);
  const start = new Date();

  beforeAll(async () => {
    ({ dir, env, embargo } = await startEndToEnd('flood', {
      config: { maintainers: [fixtureMaintainer('mia')] },
      timeByTick: true,
    }));
  });
  afterAll(() => closeEndToEnd({ embargo, gnupg: [mia], dir }));

  it('answers every genuine report and keeps the flood bounded', async () => {
    const target = parseSmtpAddress(embargo.smtpAddress);
    const sent: { from: string; raw: string; response: string }[] = [];
    const send = async (from: string, subject: string) => {
      const raw = rawMessage({ from, subject });
      sent.push({
        from,
        raw,
        response: await sendRaw(target, { from, to: ['security@example.org'] }, raw),
      });
    };
    // The genuine reports arrive in the middle of the flood, one after every eighth message.
    let genuine = 0;
    for (let round = 0; round < PER_FLOOD_SENDER; round++) {
      for (const bot of FLOOD_SENDERS) await send(bot, `Critical "vuln" #${round}\u0007 in ${bot}`);
      if (round % 2 === 1 && genuine < GENUINE.length)
        await send(GENUINE[genuine++]!, 'Use after free in the decoder');
    }
    const total = FLOOD_SENDERS.length * PER_FLOOD_SENDER + GENUINE.length;
    const records = await waitFor(
      inbound,
      (r) => r.filter((x) => x.outcome).length === total,
      120_000,
    );

    // Nothing lost: every message has an outcome, and its raw mail can be fetched.
    const bySender = (s: string) => records.filter((r) => r.sender === s);
    for (const reporter of GENUINE)
      expect(bySender(reporter).map((r) => r.outcome?.kind)).toEqual(['case']);
    for (const bot of FLOOD_SENDERS) {
      const kinds = bySender(bot).map((r) => r.outcome?.kind);
      expect(kinds.filter((k) => k === 'case')).toHaveLength(5);
      expect(kinds.filter((k) => k === 'flood')).toHaveLength(PER_FLOOD_SENDER - 5);
    }
    const flooded = records.find((r) => r.outcome?.kind === 'flood')!;
    const out = join(dir, 'flooded.eml');
    expect(cli('raw', flooded.messageId, '--out', out).status).toBe(0);
    const original = sent.find((s) => s.response.includes(flooded.messageId))!;
    expect(readFileSync(out, 'utf8')).toBe(original.raw);
    expect(cli('inbound').stdout).toContain('flood: kept unread');

    const mails = await waitFor(outbox, (m) => m.length >= GENUINE.length * 2, 30_000);
    for (const reporter of GENUINE) {
      const acks = to(mails, reporter);
      expect(acks).toHaveLength(1);
      expect(acks[0]!.parsed.subject).toMatch(/^\[SEC-\d{4}-\d{4}\] /);
    }
    for (const bot of FLOOD_SENDERS) {
      const mine = to(mails, bot);
      const notices = mine.filter((m) => m.subject?.includes('is collected'));
      expect(notices).toHaveLength(1);
      expect(mine).toHaveLength(5 + 1);
    }
    // One copy per admitted report, none per collected one.
    const admitted = GENUINE.length + FLOOD_SENDERS.length * 5;
    expect(to(mails, 'mia@example.org')).toHaveLength(admitted);

    // An hour later the watch sends one digest of the collected mail, and only once.
    const later = new Date(start.getTime() + HOUR + 10 * 60_000);
    expect(cli('tick', '--now', later.toISOString()).stdout).toMatch(/sent [1-9]\d* flood digest/);
    cli('tick', '--now', new Date(later.getTime() + 60_000).toISOString());
    const digests = to(await outbox(), 'mia@example.org').filter((m) =>
      m.subject?.startsWith('Flood digest'),
    );
    expect(digests).toHaveLength(1);
    const opened = await openPgpMime(mia, digests[0]!);
    if ('error' in opened) throw new Error(opened.error);
    const text = opened.inner.text ?? '';
    expect(text).toContain(flooded.messageId);
    for (const bot of FLOOD_SENDERS) expect(text).toContain(`${bot}  ${PER_FLOOD_SENDER - 5}`);
    // Subjects are one line, control characters gone, quotes escaped.
    expect(text).toMatch(/"Critical \\"vuln\\" #\d+ +in bot0@flood0\.example"/);

    // Half the answer time later, the watch warns about each unanswered genuine report.
    const halfTime = new Date(start.getTime() + 25 * HOUR);
    cli('tick', '--now', halfTime.toISOString());
    const warnings = to(await outbox(), 'mia@example.org').filter((m) =>
      m.subject?.includes('ACTION NEEDED: Half of the answer time'),
    );
    expect(warnings).toHaveLength(admitted);
  }, 300_000);
});
