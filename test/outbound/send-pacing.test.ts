import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { MaildirMailTransport } from '../../shared/adapters/maildir/maildir-mail-transport';
import { SesMailTransport } from '../../shared/adapters/ses/ses-mail-transport';
import { isSesMessageIdHeader } from '../../shared/outbound/ses-behaviour/ses-message-id';
import { memoryLogger } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const mail = (n: number) => ({
  envelopeFrom: 'security@example.org',
  recipient: `r${n}@example.net`,
  raw: Buffer.from(
    [
      'From: security@example.org',
      `To: r${n}@example.net`,
      'Subject: x',
      'Date: Wed, 25 Nov 2026 09:00:00 +0000',
      'Message-ID: <0123456789abcdef0123456789abcdef@example.org>',
      '',
      'hello',
      '',
    ].join('\r\n'),
  ),
});

describe("local mode's SES stand-in", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'embargo-pacing-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces Message-ID and Date as SES does, and returns the id recipients see', async () => {
    const transport = new MaildirMailTransport(dir, { region: 'eu-west-1' });
    const first = await transport.send(mail(1));
    const again = await transport.send(mail(1));
    expect(first.messageIdHeader).toMatch(/^<[0-9a-f-]+@eu-west-1\.amazonses\.com>$/);
    expect(isSesMessageIdHeader(first.messageIdHeader)).toBe(true);
    // The same mail sent twice arrives twice, each with its own id, as with SES.
    expect(again.messageIdHeader).not.toBe(first.messageIdHeader);
    const delivered = await readMaildir(dir);
    expect(delivered).toHaveLength(2);
    for (const m of delivered) {
      expect(m.raw.match(/^Message-ID:/gim)).toHaveLength(1);
      expect(m.raw.match(/^Date:/gim)).toHaveLength(1);
      expect(m.parsed.date!.getUTCFullYear()).toBe(new Date().getUTCFullYear());
      expect(m.parsed.date!.toISOString()).not.toBe('2026-11-25T09:00:00.000Z');
    }
    expect(delivered.map((m) => m.parsed.messageId).sort()).toEqual(
      [first.messageIdHeader, again.messageIdHeader].sort(),
    );
  });

  it('paces sends to its maximum send rate', async () => {
    const transport = new MaildirMailTransport(dir, { maxSendRate: 10 });
    const started = Date.now();
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => transport.send(mail(n))));
    // Six sends at ten a second: the last may start 0.5 s after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(480);
    const unpaced = new MaildirMailTransport(join(dir, 'fast'));
    const quick = Date.now();
    await Promise.all([1, 2, 3, 4, 5, 6].map((n) => unpaced.send(mail(n))));
    expect(Date.now() - quick).toBeLessThan(480);
  });
});

const motoAvailable = spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
const describeMoto = motoAvailable ? describe : describe.skip;
if (!motoAvailable)
  console.warn('moto_server is not installed: the SES transport tests are skipped');

/** The SES transport against the AWS API emulator moto (which keeps our header; SES does not). */
describeMoto('the SES transport, against moto_server', () => {
  let moto: ChildProcess;
  let client: SESv2Client;
  beforeAll(async () => {
    const port = await freePort();
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    client = new SESv2Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    for (let i = 0; ; i++) {
      try {
        await client.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.org' }));
        break;
      } catch (err) {
        if (i > 50) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }, 30_000);
  afterAll(() => {
    moto?.kill();
  });

  it("returns SES's MessageId at the region's amazonses.com host, and paces at the sandbox rate when the quota cannot be read", async () => {
    const log = memoryLogger();
    const transport = new SesMailTransport(client, { log });
    const started = Date.now();
    const [a, b] = [await transport.send(mail(1)), await transport.send(mail(2))];
    for (const r of [a, b])
      expect(r.messageIdHeader).toMatch(/^<[^@<>]+@eu-west-1\.amazonses\.com>$/);
    expect(a.messageIdHeader).not.toBe(b.messageIdHeader);
    // moto has no SES v2 GetAccount: the transport goes on at one mail a second and says so.
    expect(log.lines.filter((l) => l.event === 'outbound.send-rate-unknown')).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  }, 30_000);

  it('paces at its share of the rate when the stack bounds the containers that send', async () => {
    // Two containers at most (EMBARGO_SENDING_CONTAINERS): each sends at half of the 1 a second.
    const transport = new SesMailTransport(client, { log: memoryLogger(), sendingContainers: 2 });
    const started = Date.now();
    await transport.send(mail(3));
    await transport.send(mail(4));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1950);
  }, 30_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
