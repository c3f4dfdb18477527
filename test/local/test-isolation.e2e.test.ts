import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startEmbargo } from '../support/local-process';
import { parseSmtpAddress, sendRaw } from '../support/smtp-client';

/**
 * A user's own settings (their embargo.config.json for another address, their data directory)
 * must change no test: the children the tests start get a configuration of the test's own.
 */
describe('tests and the user’s own settings', () => {
  const userDir = mkdtempSync(join(tmpdir(), 'embargo-user-'));
  const saved = { ...process.env };

  beforeAll(() => {
    const userConfig = join(userDir, 'embargo.config.json');
    writeFileSync(
      userConfig,
      JSON.stringify({
        project: 'cryptolib',
        securityAddress: 'security@cryptolib.org',
        announceAddress: 'announce@cryptolib.org',
      }),
    );
    process.env.EMBARGO_CONFIG = userConfig;
    process.env.EMBARGO_DATA_DIR = join(userDir, 'data');
  });
  afterAll(() => {
    process.env = saved;
  });

  it('starts on the test configuration, not the one EMBARGO_CONFIG names', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embargo-isolated-'));
    const embargo = await startEmbargo({ EMBARGO_DATA_DIR: dataDir });
    try {
      const reply = await sendRaw(
        parseSmtpAddress(embargo.smtpAddress),
        { from: 'alice@example.net', to: ['security@example.org'] },
        'From: alice@example.net\r\nTo: security@example.org\r\nSubject: x\r\n\r\nbody\r\n',
      );
      expect(reply).toMatch(/stored as/);
    } finally {
      await embargo.stop();
    }
    expect(runCli(['key', 'show'], { EMBARGO_DATA_DIR: dataDir }).stdout).toContain(
      '<security@example.org>',
    );
  });
});
