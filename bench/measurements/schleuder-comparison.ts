import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfig, fixture, mean, SECURITY_ADDRESS } from '../support/bench-support';
import { startBenchRuntime } from '../support/bench-runtime';
import { gpgAgentPid, processCpuMs, runChild } from '../support/child-cpu';
import {
  encryptedReport,
  plainReport,
  projectPublicKey,
  type BenchReport,
} from '../support/report-messages';
import { parseSmtpAddress, sendAll } from '../support/smtp-sender';
import { startSmtpSink } from '../support/smtp-sink';
import { gnupgAlone } from './gnupg-alone';
import { SCHLEUDER_INSTALL_HINT, schleuderVersion, setUpSchleuderList } from './schleuder-list';

export type SchleuderResult =
  | { skipped: true; reason: string; install: string }
  | {
      skipped: false;
      version: string;
      messages: number;
      recipients: number;
      /** `schleuder work` and its children (gpg), per message, ms. */
      schleuderChildMs: number;
      /** The list's gpg-agent (a daemon, so not among the children), per message, ms. */
      schleuderAgentMs: number;
      schleuderWallMs: number;
      /** `schleuder version`: starting Ruby and loading Schleuder, which each message pays. */
      schleuderStartMs: number;
      /** Mails Schleuder sent to the subscribers, and all of them expected. */
      schleuderMails: number;
      /** This process's CPU per message, the whole local runtime, after a warm-up. */
      embargoWarmMs: number;
      /** The first message after the local runtime started. */
      embargoFirstMs: number;
      embargoWallMs: number;
      gnupgMs: number;
      gnupgAgentShare: number;
    };

const THIS_CPU_MS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const WARM_UP = 5;

/** The maintainers of the bench configuration, and their fixture key files. */
const SUBSCRIBERS = [
  { email: 'mia@example.org', keyFile: 'mia-public.asc' },
  { email: 'max@example.org', keyFile: 'max-public.asc' },
  { email: 'security@debian.example', keyFile: 'debian-public.asc' },
];

async function messagesFor(prefix: string, count: number): Promise<BenchReport[]> {
  const key = await projectPublicKey(fixture('project-public.asc'));
  const runId = `${prefix}${process.pid.toString(36)}${Date.now().toString(36)}`;
  const out: BenchReport[] = [];
  // Plain and PGP/MIME alternating, as in the burst.
  for (let i = 0; i < count; i++)
    out.push(i % 2 ? await encryptedReport(i, runId, key) : plainReport(i, runId));
  return out;
}

/** Embargo's side: the local runtime, one message at a time, each handled to its end. */
async function throughEmbargo(warmUp: BenchReport[], messages: BenchReport[], tick: () => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'embargo-bench-compare-'));
  try {
    const { runtime } = await startBenchRuntime(dataDir, benchConfig());
    const target = parseSmtpAddress(runtime.smtpAddress);
    const one = async (r: BenchReport) => {
      const before = THIS_CPU_MS();
      await sendAll(
        target,
        [r],
        1,
        () => ({ envelope: { from: r.from, to: [SECURITY_ADDRESS] }, raw: r.raw }),
        () => {},
      );
      await runtime.drain();
      return THIS_CPU_MS() - before;
    };
    const firstMs = await one(warmUp[0]!);
    for (const r of warmUp.slice(1)) await one(r);
    const started = performance.now();
    const cpu: number[] = [];
    for (const r of messages) {
      cpu.push(await one(r));
      tick();
    }
    const wallMs = (performance.now() - started) / messages.length;
    await runtime.stop();
    return { warmMs: mean(cpu), firstMs, wallMs };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * #7 and #17: the same messages (3 recipients each, one at a time) through Schleuder, the
 * GnuPG mailing list many security teams use, and through Embargo; and the cryptography
 * alone with gpg. Skipped, saying how to install it, when `schleuder` is not installed.
 */
export async function runSchleuderComparison(
  options: { messages: number },
  progress: (detail: string, done: number, total: number) => void,
): Promise<SchleuderResult> {
  const version = schleuderVersion();
  if (!version)
    return {
      skipped: true,
      reason: '`schleuder` is not installed on this machine',
      install: SCHLEUDER_INSTALL_HINT,
    };
  const total = options.messages * 3;
  const messages = await messagesFor('s', options.messages);
  const warmUp = await messagesFor('w', WARM_UP);

  const dir = mkdtempSync(join(tmpdir(), 'embargo-bench-schleuder-'));
  const sink = await startSmtpSink();
  let gnupgHome: string | undefined;
  try {
    const list = await setUpSchleuderList(
      dir,
      sink.port,
      SUBSCRIBERS,
      JSON.parse(fixture('fingerprints.json')).project as string,
    );
    gnupgHome = list.gnupgHome;
    await list.work(warmUp[0]!.raw); // starts the list's agent, as on a running list
    const agent = gpgAgentPid(list.gnupgHome);
    const agentBefore = agent ? processCpuMs(agent) : 0;
    const mailsBefore = SUBSCRIBERS.reduce((n, s) => n + (sink.received.get(s.email) ?? 0), 0);
    let childMs = 0;
    let wallMs = 0;
    let done = 0;
    for (const m of messages) {
      const run = await list.work(m.raw);
      childMs += run.cpuMs;
      wallMs += run.wallMs;
      progress('Schleuder', ++done, total);
    }
    const agentMs = agent ? processCpuMs(agent) - agentBefore : 0;
    const schleuderMails =
      SUBSCRIBERS.reduce((n, s) => n + (sink.received.get(s.email) ?? 0), 0) - mailsBefore;

    let startMs = 0;
    for (let i = 0; i < WARM_UP; i++) startMs += (await runChild('schleuder', ['version'])).cpuMs;

    const embargo = await throughEmbargo(warmUp, messages, () =>
      progress('Embargo', ++done, total),
    );
    const gnupg = await gnupgAlone(messages, SUBSCRIBERS, () => progress('GnuPG', ++done, total));
    return {
      skipped: false,
      version,
      messages: messages.length,
      recipients: SUBSCRIBERS.length,
      schleuderChildMs: childMs / messages.length,
      schleuderAgentMs: agentMs / messages.length,
      schleuderWallMs: wallMs / messages.length,
      schleuderStartMs: startMs / WARM_UP,
      schleuderMails,
      embargoWarmMs: embargo.warmMs,
      embargoFirstMs: embargo.firstMs,
      embargoWallMs: embargo.wallMs,
      gnupgMs: gnupg.cpuPerMessageMs,
      gnupgAgentShare: gnupg.agentShare,
    };
  } finally {
    await sink.close();
    if (gnupgHome) spawnSync('gpgconf', ['--homedir', gnupgHome, '--kill', 'gpg-agent']);
    rmSync(dir, { recursive: true, force: true });
  }
}
