import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { isolatedEnv, startEmbargo } from '../support/local-process';

describe('npm start with bad settings', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'embargo-start-'));

  it('names the bad configuration field and exits', async () => {
    const config = join(dataDir, 'bad.json');
    writeFileSync(
      config,
      JSON.stringify({ project: 'p', securityAddress: 'nope', announceAddress: 'a@p.org' }),
    );
    await expect(
      startEmbargo({ EMBARGO_DATA_DIR: dataDir, EMBARGO_CONFIG: config }),
    ).rejects.toThrow(/exited with 1[\s\S]*securityAddress: must be an email address/);
  });

  it('stops npm start and synth for a maintainer without a usable key, naming the maintainer', async () => {
    const config = join(dataDir, 'no-key.json');
    writeFileSync(
      config,
      JSON.stringify({
        project: 'p',
        securityAddress: 's@p.org',
        announceAddress: 'a@p.org',
        maintainers: [{ name: 'Mia', email: 'mia@p.org' }],
      }),
    );
    const named = /maintainer Mia <mia@p\.org> has no public key: set "publicKeyFile"/;
    await expect(
      startEmbargo({ EMBARGO_DATA_DIR: dataDir, EMBARGO_CONFIG: config }),
    ).rejects.toThrow(new RegExp(`exited with 1[\\s\\S]*${named.source}`));
    const synth = spawnSync(
      process.execPath,
      [join(__dirname, '../../node_modules/tsx/dist/cli.mjs'), 'infra/aws/app.ts'],
      {
        cwd: join(__dirname, '../..'),
        env: isolatedEnv({ EMBARGO_CONFIG: config, CDK_OUTDIR: join(dataDir, 'cdk.out') }),
        encoding: 'utf8',
      },
    );
    expect(synth.status).toBe(1);
    expect(synth.stderr).toMatch(named);
  });

  it('names a bad port and exits', async () => {
    await expect(
      startEmbargo({ EMBARGO_DATA_DIR: dataDir, EMBARGO_SMTP_PORT: 'smtp' }),
    ).rejects.toThrow(/exited with 1[\s\S]*EMBARGO_SMTP_PORT: must be/);
  });

  it('says that another program uses the port, and how to choose another', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    try {
      const run = startEmbargo({
        EMBARGO_DATA_DIR: mkdtempSync(join(tmpdir(), 'embargo-port-')),
        EMBARGO_SMTP_PORT: String(port),
      });
      await expect(run).rejects.toThrow(
        new RegExp(
          `exited with 1[\\s\\S]*Another program is already using port ${port} on 127\\.0\\.0\\.1[\\s\\S]*EMBARGO_SMTP_PORT=2526 npm start`,
        ),
      );
      await expect(run).rejects.not.toThrow(/EADDRINUSE/);
    } finally {
      other.close();
    }
  });

  it('refuses to start a second instance on the same data', async () => {
    const first = await startEmbargo({ EMBARGO_DATA_DIR: dataDir });
    try {
      await expect(startEmbargo({ EMBARGO_DATA_DIR: dataDir })).rejects.toThrow(/already running/);
    } finally {
      await first.stop();
    }
  });
});
