import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import { fixture, now, SECURITY_ADDRESS } from '../support/bench-support';
import { startBenchRuntime } from '../support/bench-runtime';
import { OutboxWatcher } from '../support/outbox-watcher';
import {
  encryptedReport,
  plainReport,
  projectPublicKey,
  type BenchReport,
} from '../support/report-messages';
import { parseSmtpAddress, sendAll } from '../support/smtp-sender';

export interface FloodResult {
  floodSenders: number;
  floodMessages: number;
  genuineReports: number;
  /** SMTP 250 → acknowledgment in the outbox, per genuine report (ms; NaN if none came). */
  genuineAckMs: number[];
  mailsToFloodSenders: number;
  /** The most any one flood sender got (acknowledgments of admitted reports and the notice). */
  mostToOneFloodSender: number;
  noticesToFloodSenders: number;
  mailsToMaintainers: number;
  maintainers: number;
  /** Messages with an outcome in the ledger, by outcome. */
  outcomes: Record<string, number>;
  sent: number;
  deadLetters: number;
  wallMs: number;
  /** Process CPU (ms) per message: flood senders already over the limit, and normal reports. */
  cpuPerFloodMessageMs: number;
  cpuPerNormalReportMs: number;
  cpuSamples: { flood: number; normal: number };
  warnings: Record<string, number>;
}

const IN_FLIGHT = 8;

/** A plain report's bytes from another sender: the flood is machine-written "reports". */
function fromSender(report: BenchReport, sender: string, tag: string): BenchReport {
  const messageId = `<${tag}-${report.messageId.slice(1)}`;
  const text = report.raw
    .toString('utf8')
    .replace(/^From: .*$/m, `From: <${sender}>`)
    .replace(/^Message-ID: .*$/m, `Message-ID: ${messageId}`);
  return { ...report, from: sender, messageId, raw: Buffer.from(text, 'utf8') };
}

/**
 * Issue #17: `floodSenders` senders send `perSender` reports each, with `genuine` reports from
 * distinct senders spread evenly among them, over SMTP into the local runtime with the
 * default flood limits. Then the CPU per message, flood against normal, measured apart.
 */
export async function runFlood(
  baseConfig: EmbargoConfig,
  options: { floodSenders: number; perSender: number; genuine: number; cpuSample: number },
  progress: (detail: string, done: number, total: number) => void,
): Promise<FloodResult> {
  const config: EmbargoConfig = {
    ...baseConfig,
    // The defaults, as a project that sets none has them.
    flood: defaultConfigFile.flood,
    maxMailsPerDay: defaultConfigFile.maxMailsPerDay,
  };
  const runId = `f${process.pid.toString(36)}${Date.now().toString(36)}`;
  const key = await projectPublicKey(fixture('project-public.asc'));
  const bots = Array.from(
    { length: options.floodSenders },
    (_, i) => `bot${i}@flood${i}.bench.example`,
  );
  const floodMessage = (i: number) =>
    fromSender(plainReport(i, runId), bots[i % bots.length]!, `flood${i}`);
  // Genuine reporters each from their own domain, so that no domain limit applies to them.
  const genuineReport = async (i: number, prefix: string) =>
    fromSender(
      i % 2
        ? await encryptedReport(i, `${prefix}${runId}`, key)
        : plainReport(i, `${prefix}${runId}`),
      `reporter${i}@${prefix}${i}.reporters.bench.example`,
      prefix,
    );

  const total = options.floodSenders * options.perSender;
  const genuine: BenchReport[] = [];
  for (let i = 0; i < options.genuine; i++) genuine.push(await genuineReport(i, 'g'));
  const mixed: BenchReport[] = [];
  const every = Math.floor(total / Math.max(1, options.genuine));
  for (let i = 0; i < total; i++) {
    mixed.push(floodMessage(i));
    const next = genuine[Math.floor(i / every)];
    if ((i + 1) % every === 0 && next) mixed.push(next);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'embargo-bench-flood-'));
  try {
    const { runtime, log } = await startBenchRuntime(dataDir, config);
    const maintainers = new Set(config.maintainers.map((m) => m.email.toLowerCase()));
    const botSet = new Set(bots);
    const toBot = new Map<string, number>();
    const accepted = new Map<string, number>();
    const ackAt = new Map<string, number>();
    const genuineIds = new Map(genuine.map((g) => [g.from.toLowerCase(), g.messageId]));
    let mailsToMaintainers = 0;
    const watcher = new OutboxWatcher(runtime.outboxDir, (mail) => {
      if (maintainers.has(mail.deliveredTo)) mailsToMaintainers++;
      else if (botSet.has(mail.deliveredTo))
        toBot.set(mail.deliveredTo, (toBot.get(mail.deliveredTo) ?? 0) + 1);
      else if (genuineIds.get(mail.deliveredTo) === mail.inReplyTo && !ackAt.has(mail.deliveredTo))
        ackAt.set(mail.deliveredTo, mail.observedAt);
    });
    await watcher.start();
    const target = parseSmtpAddress(runtime.smtpAddress);
    const envelope = (r: BenchReport) => ({
      envelope: { from: r.from, to: [SECURITY_ADDRESS] },
      raw: r.raw,
    });
    const started = now();
    let done = 0;
    await sendAll(target, mixed, IN_FLIGHT, envelope, (r, a) => {
      if (genuineIds.has(r.from.toLowerCase())) accepted.set(r.from.toLowerCase(), a.acceptedAt);
      if (++done % 50 === 0) progress('flood: sending', done, mixed.length);
    });
    await runtime.drain();
    await watcher.flush();
    const wallMs = now() - started;
    progress('flood: sent', mixed.length, mixed.length);

    // CPU per message, each kind on its own: flood senders already over the limit, and
    // normal reports (plain and encrypted alternating, as in the burst) from new senders.
    const cpuOf = async (messages: BenchReport[]) => {
      const before = process.cpuUsage();
      await sendAll(target, messages, IN_FLIGHT, envelope, () => {});
      await runtime.drain();
      const cpu = process.cpuUsage(before);
      return (cpu.user + cpu.system) / 1000 / messages.length;
    };
    const floodSample = Array.from({ length: options.cpuSample }, (_, i) =>
      fromSender(plainReport(total + i, runId), bots[i % bots.length]!, `cpu${i}`),
    );
    const normalSample: BenchReport[] = [];
    const normalCount = Math.max(10, Math.floor(options.cpuSample / 5));
    for (let i = 0; i < normalCount; i++) normalSample.push(await genuineReport(i, 'n'));
    progress('flood: CPU per message', 0, 2);
    const cpuPerFloodMessageMs = await cpuOf(floodSample);
    progress('flood: CPU per message', 1, 2);
    const cpuPerNormalReportMs = await cpuOf(normalSample);
    progress('flood: CPU per message', 2, 2);
    await watcher.stop();

    const outcomes: Record<string, number> = {};
    for (const record of await runtime.services.ledger.list()) {
      const kind = record.outcome?.kind ?? 'none';
      outcomes[kind] = (outcomes[kind] ?? 0) + 1;
    }
    const deadLetterDir = join(dataDir, 'dead-letter');
    const deadLetters = existsSync(deadLetterDir) ? readdirSync(deadLetterDir).length : 0;
    await runtime.stop();

    const counts = [...toBot.values()];
    return {
      floodSenders: options.floodSenders,
      floodMessages: total,
      genuineReports: genuine.length,
      genuineAckMs: genuine.map((g) => {
        const from = g.from.toLowerCase();
        return (ackAt.get(from) ?? NaN) - (accepted.get(from) ?? NaN);
      }),
      mailsToFloodSenders: counts.reduce((a, b) => a + b, 0),
      mostToOneFloodSender: Math.max(0, ...counts),
      noticesToFloodSenders: log.counts.get('warn:intake.flood-started') ?? 0,
      mailsToMaintainers,
      maintainers: maintainers.size,
      outcomes,
      sent: mixed.length + floodSample.length + normalSample.length,
      deadLetters,
      wallMs,
      cpuPerFloodMessageMs,
      cpuPerNormalReportMs,
      cpuSamples: { flood: floodSample.length, normal: normalSample.length },
      warnings: Object.fromEntries(log.counts),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
