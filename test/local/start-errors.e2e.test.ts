import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbargo } from '../support/local-process';

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

  it('names a bad port and exits', async () => {
    await expect(
      startEmbargo({ EMBARGO_DATA_DIR: dataDir, EMBARGO_SMTP_PORT: 'smtp' }),
    ).rejects.toThrow(/exited with 1[\s\S]*EMBARGO_SMTP_PORT: must be/);
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
