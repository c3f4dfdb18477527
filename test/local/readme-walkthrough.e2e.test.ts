import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMaildir } from '../support/maildir';

/**
 * The README's walkthrough, run as written (issue #26: a first user followed the README verbatim
 * and it sent placeholder text, or failed). The shell blocks marked `<!-- walkthrough -->` run in
 * order in one bash session, as the second terminal; `<!-- walkthrough: start -->` blocks
 * (`npm start`) run as the first terminal, and `<!-- walkthrough: ctrl-c -->` presses Ctrl-C
 * there. Both "terminals" sit in a temporary copy of the checkout: its files linked, none of
 * the user's (embargo.config.json, .embargo/, keys/) read or written. Between blocks the test
 * waits until Embargo has finished with the mail it received, as a person reading would.
 */
const ROOT = join(__dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const TOOLS = ['gpg', 'gpgconf', 'swaks', 'jq', 'perl'];

type Step = { kind: 'run' | 'start'; code: string } | { kind: 'ctrl-c' };

/** The walkthrough's steps, in the order the README gives them. */
function walkthroughSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  const marker = /<!-- walkthrough(?::\s*([a-z-]+))? -->\s*/g;
  for (let m = marker.exec(markdown); m; m = marker.exec(markdown)) {
    const kind = m[1] ?? 'run';
    if (kind === 'ctrl-c') {
      steps.push({ kind });
      continue;
    }
    if (kind !== 'run' && kind !== 'start') throw new Error(`unknown walkthrough step "${kind}"`);
    const block = /^```(?:sh|bash)\n([\s\S]*?)^```/m.exec(markdown.slice(marker.lastIndex));
    if (!block || block.index !== 0) {
      throw new Error(`a walkthrough marker at ${m.index} is not followed by a sh block`);
    }
    steps.push({ kind, code: block[1]! });
  }
  return steps;
}

const missing = TOOLS.filter((tool) => spawnSync('which', [tool]).status !== 0);
const describeWalkthrough = missing.length === 0 || process.env.CI ? describe : describe.skip;

/** A free TCP port on the loopback interface, for the SMTP server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The checkout's own files, linked into `dir`: a checkout in which nothing is the user's. */
function linkCheckout(dir: string): void {
  const usersOrGenerated =
    /^(\.git|\.embargo.*|embargo\.config.*\.json|keys|web|cdk\.out|coverage|.*\.html)$/;
  for (const entry of readdirSync(ROOT)) {
    if (!usersOrGenerated.test(entry)) symlinkSync(join(ROOT, entry), join(dir, entry));
  }
}

describeWalkthrough(
  missing.length
    ? `README walkthrough (skipped: ${missing.join(', ')} not installed)`
    : 'README walkthrough',
  () => {
    let work: string;
    let checkout: string;
    let env: NodeJS.ProcessEnv;
    let shell: ChildProcess;
    let shellOutput = '';
    let embargo: ChildProcess | undefined;
    const outputs: { code: string; output: string }[] = [];

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'embargo-readme-'));
      checkout = join(work, 'checkout');
      mkdirSync(checkout);
      mkdirSync(join(work, 'tmp'));
      linkCheckout(checkout);
      env = {
        ...Object.fromEntries(
          Object.entries(process.env).filter(
            ([name]) => !name.startsWith('EMBARGO_') && name !== 'GNUPGHOME',
          ),
        ),
        EMBARGO_SMTP_PORT: String(await freePort()),
        // mktemp -d in the walkthrough makes the keyring here, where the test removes it.
        TMPDIR: join(work, 'tmp'),
        NO_COLOR: '1',
        // npx and npm start as written, without npm asking the registry for a newer npm.
        npm_config_update_notifier: 'false',
      };
      shell = spawn('bash', ['--noprofile', '--norc'], { cwd: checkout, env });
      shell.stdout?.on('data', (chunk: Buffer) => (shellOutput += chunk.toString()));
      shell.stderr?.on('data', (chunk: Buffer) => (shellOutput += chunk.toString()));
      shell.stdin?.write('set -euo pipefail\n');
    });

    afterAll(async () => {
      await pressCtrlC();
      shell?.stdin?.end();
      shell?.kill();
      const tmp = join(work, 'tmp');
      if (existsSync(tmp)) {
        for (const home of readdirSync(tmp)) {
          spawnSync('gpgconf', ['--homedir', join(tmp, home), '--kill', 'gpg-agent']);
        }
      }
      rmSync(work, { recursive: true, force: true });
    });

    /** Runs one block in the session, stdin closed, and returns what it printed. */
    function runBlock(index: number, code: string): Promise<string> {
      const file = join(work, `block-${index}.sh`);
      writeFileSync(file, code);
      const done = `__walkthrough_block_${index}_done__`;
      const start = shellOutput.length;
      shell.stdin?.write(`source ${file} < /dev/null 2>&1; echo ${done}\n`);
      return new Promise((resolve, reject) => {
        const timer = setInterval(() => {
          const output = shellOutput.slice(start);
          if (output.includes(done)) {
            clearInterval(timer);
            resolve(output.slice(0, output.indexOf(done)));
          } else if (shell.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`this walkthrough block failed:\n${code}\nIt printed:\n${output}`));
          }
        }, 200);
      });
    }

    /** The first terminal: `npm start` as the README writes it, until it says it is ready. */
    function startEmbargo(code: string): Promise<void> {
      if (embargo) throw new Error('the README starts Embargo while it is running');
      const child = spawn('bash', ['-c', code], { cwd: checkout, env, detached: true });
      embargo = child;
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line:\n${out}`)), 120_000);
        child.stdout?.on('data', () => {
          if (out.includes('Embargo is ready')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (status) => {
          clearTimeout(timer);
          reject(new Error(`npm start exited with ${status}:\n${out}`));
        });
      });
    }

    /** Ctrl-C in the first terminal: SIGINT to its whole process group. */
    async function pressCtrlC(): Promise<void> {
      const child = embargo;
      embargo = undefined;
      if (!child || child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid, 'SIGINT');
      await exited;
    }

    /** The CLI in the walkthrough's checkout, for the test's own look at the state. */
    function cli(args: string[]) {
      const result = spawnSync(process.execPath, [join(checkout, 'bin', 'embargo.js'), ...args], {
        cwd: checkout,
        env,
        encoding: 'utf8',
      });
      if (result.status !== 0) throw new Error(`embargo ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    }

    /** Waits until intake has recorded an outcome for every message received, one more than before. */
    async function mailSettled(before: number): Promise<number> {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const inbound = JSON.parse(cli(['inbound', '--json'])) as { outcome?: unknown }[];
        if (inbound.length > before && inbound.every((r) => r.outcome !== undefined)) {
          return inbound.length;
        }
        if (Date.now() > deadline) throw new Error(`mail not handled: ${JSON.stringify(inbound)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }

    it('finds the walkthrough in the README', () => {
      const steps = walkthroughSteps(README);
      expect(steps.filter((s) => s.kind === 'start')).toHaveLength(2);
      expect(steps.filter((s) => s.kind === 'ctrl-c')).toHaveLength(1);
      const code = steps.map((s) => ('code' in s ? s.code : '')).join('\n');
      for (const command of [
        '/severity',
        '/affected',
        '/fixed',
        '/advisory',
        '/disclose',
        '/credit',
      ]) {
        expect(code).toMatch(new RegExp(`^${command}\\b`, 'm'));
      }
    });

    it('takes a case from an encrypted report to the public notice, every command as written', async () => {
      let received = 0;
      let index = 0;
      for (const step of walkthroughSteps(README)) {
        index += 1;
        if (step.kind === 'start') await startEmbargo(step.code);
        else if (step.kind === 'ctrl-c') await pressCtrlC();
        else {
          const output = await runBlock(index, step.code);
          outputs.push({ code: step.code, output });
          if (/\bswaks\b/.test(step.code)) received = await mailSettled(received);
        }
      }
      const printed = (command: RegExp) =>
        outputs
          .filter((o) => command.test(o.code))
          .map((o) => o.output)
          .join('\n');

      // Mia's copy decrypts with her key and carries the report.
      expect(printed(/newest mia@/)).toContain('asn1_parse_header() when a');
      // The case took every command of Mia's signed reply, and the walkthrough closed it.
      const cases = JSON.parse(cli(['cases', '--all', '--json'])) as { id: string }[];
      const record = JSON.parse(cli(['case', cases[0]!.id, '--json']));
      expect(record).toMatchObject({
        status: 'closed',
        title: 'Heap buffer overflow in asn1_parse_header()',
        severity: 'high',
        affected: '>= 2.3.0, < 2.3.9 || >= 2.4.0, < 2.4.3',
        fixed: '2.4.3, 2.3.9',
        disclosureAt: '2030-03-12T14:00:00.000Z',
      });
      expect(record.advisory).toContain('Upgrade to 2.4.3 or 2.3.9.');

      const mails = await readMaildir(join(checkout, '.embargo', 'outbox'));
      const to = (address: string) => mails.filter((m) => m.deliveredTo === address);
      // The advance notice: to the distributor alone, encrypted, and read with gpg as shown;
      // silent for two days by the jump to D, it also got its one reminder (docs/distributors.md).
      expect(to('security@distro.example')).toHaveLength(2);
      const advance = printed(/newest security@distro/);
      expect(advance).toContain('Advance notice');
      expect(advance).toContain('under embargo until 2030-03-12');
      expect(advance).toContain('asn1_parse_header() trusts the length field');
      // The reporter is told the date.
      expect(to('alice@example.net').map((m) => m.subject)).toContainEqual(
        expect.stringContaining('Public disclosure planned for 2030-03-12 14:00 UTC'),
      );
      expect(printed(/newest alice@/)).toContain('Public disclosure planned for 2030-03-12');
      // The public notice: to the announce list, clearsigned by the project key.
      expect(to('announce@cryptolib.example')).toHaveLength(1);
      const notice = printed(/newest announce@/);
      expect(notice).toContain('Good signature from "cryptolib security team');
      expect(notice).toContain('Heap buffer overflow in asn1_parse_header()');
      expect(notice).toContain('Alice Liddell');
      // The case page the walkthrough wrote.
      expect(readFileSync(join(checkout, 'case.html'), 'utf8')).toMatch(/^<!doctype html>/i);
      // The team's figures, from the cases' histories: the walkthrough's case, fixed and
      // disclosed, and the one closed as invalid before it.
      const stats = printed(/embargo stats/);
      expect(stats).toContain('2 reports\n');
      expect(stats).toMatch(/to fix +│.*│ 1 of 2/);
      expect(stats).toMatch(/to disclosure +│.*│ 1 of 2/);
      expect(stats).toMatch(/fixed +1\n/);
      expect(stats).toMatch(/invalid +1\n/);
    }, 900_000);
  },
);
