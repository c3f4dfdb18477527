import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGP_FIXTURES } from '../support/bench-support';
import { gpgAgentPid, processCpuMs, runChild } from '../support/child-cpu';
import type { BenchReport } from '../support/report-messages';

/** The armored block of a PGP/MIME message (its one encrypted part). */
function armoredPart(raw: Buffer): Buffer | undefined {
  const text = raw.toString('utf8');
  const start = text.indexOf('-----BEGIN PGP MESSAGE-----');
  const end = text.indexOf('-----END PGP MESSAGE-----');
  return start < 0 || end < 0 ? undefined : Buffer.from(text.slice(start, end + 25));
}

/**
 * The cryptography a list does per message, with the gpg command alone: decrypt an encrypted
 * message with the list's key, then sign and encrypt it once to each recipient (a list sends
 * each subscriber their own copy). CPU of gpg and of its agent, per message (ms).
 */
export async function gnupgAlone(
  messages: BenchReport[],
  recipients: { email: string; keyFile: string }[],
  progress: (done: number) => void,
): Promise<{ cpuPerMessageMs: number; agentShare: number }> {
  const home = mkdtempSync(join(tmpdir(), 'embargo-bench-gpg-'));
  const gpg = (args: string[], input?: Buffer) =>
    runChild(
      'gpg',
      ['--homedir', home, '--batch', '--yes', '--trust-model', 'always', '--quiet', ...args],
      { ...(input ? { input } : {}) },
    );
  try {
    for (const file of ['project-secret.asc', ...recipients.map((r) => r.keyFile)])
      await gpg(['--import', join(PGP_FIXTURES, file)]);
    // Start the agent before measuring, as a list's agent is already running.
    await gpg(['--pinentry-mode', 'loopback', '--clearsign'], Buffer.from('warm-up'));
    const agent = gpgAgentPid(home);
    const agentBefore = agent ? processCpuMs(agent) : 0;
    let childMs = 0;
    let done = 0;
    for (const message of messages) {
      let content = message.raw;
      const armored = message.encrypted ? armoredPart(message.raw) : undefined;
      if (armored) {
        const decrypted = await gpg(['--decrypt'], armored);
        if (decrypted.status !== 0) throw new Error(`gpg --decrypt failed: ${decrypted.stderr}`);
        childMs += decrypted.cpuMs;
        content = Buffer.from(decrypted.stdout, 'utf8');
      }
      for (const r of recipients) {
        const sent = await gpg(['--armor', '--sign', '--encrypt', '-r', r.email], content);
        if (sent.status !== 0) throw new Error(`gpg --sign --encrypt failed: ${sent.stderr}`);
        childMs += sent.cpuMs;
      }
      progress(++done);
    }
    const agentMs = agent ? processCpuMs(agent) - agentBefore : 0;
    return {
      cpuPerMessageMs: (childMs + agentMs) / messages.length,
      agentShare: agentMs / Math.max(1, childMs + agentMs),
    };
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
    rmSync(home, { recursive: true, force: true });
  }
}
