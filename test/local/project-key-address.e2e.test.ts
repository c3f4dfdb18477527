import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startEmbargo } from '../support/local-process';

/** Started once before configuring (as a first try does), then configured for the real address. */
describe('the project key and the configured security address', () => {
  function project(prefix: string) {
    const dir = mkdtempSync(join(tmpdir(), `embargo-${prefix}-`));
    const config = join(dir, 'embargo.config.json');
    const configure = (securityAddress: string) =>
      writeFileSync(
        config,
        JSON.stringify({
          project: 'cryptolib',
          securityAddress,
          announceAddress: 'a@cryptolib.org',
        }),
      );
    configure('security@example.org');
    return { dir, configure, env: { EMBARGO_DATA_DIR: join(dir, 'data'), EMBARGO_CONFIG: config } };
  }

  it('replaces a key Embargo made and nobody used, and says so', async () => {
    const { configure, env } = project('key-unused');
    await (await startEmbargo(env)).stop();
    configure('security@cryptolib.org');
    const embargo = await startEmbargo(env);
    await embargo.stop();
    expect(embargo.output()).toMatch(
      /The project key [0-9A-F]{40} named .*<security@example\.org>, not security@cryptolib\.org; .* replaced \(old key kept in .*security-private\..*\.asc\)/,
    );
    expect(embargo.output()).toContain('Generated a project key for security@cryptolib.org');
    expect(runCli(['key', 'show'], env).stdout).toContain('<security@cryptolib.org>');
  });

  it('refuses a key that may be in use, with the command that fixes it', async () => {
    const { dir, configure, env } = project('key-used');
    await (await startEmbargo(env)).stop();
    // A mail went out signed with it: reporters may hold the key now.
    mkdirSync(join(dir, 'data', 'outbox', 'new'), { recursive: true });
    writeFileSync(
      join(dir, 'data', 'outbox', 'new', 'sent.embargo'),
      'From: security@example.org\r\n\r\n',
    );
    configure('security@cryptolib.org');
    await expect(startEmbargo(env)).rejects.toThrow(
      /exited with 1[\s\S]*does not name the configured security address security@cryptolib\.org, and mail signed with it was sent[\s\S]*`npx embargo key generate --replace`/,
    );
    const fixed = runCli(['key', 'generate', '--replace'], env);
    expect(fixed.status).toBe(0);
    expect(fixed.stdout).toMatch(/The key it replaces is kept in .*security-private\..*\.asc\./);
    const embargo = await startEmbargo(env);
    await embargo.stop();
    expect(runCli(['key', 'show'], env).stdout).toContain('<security@cryptolib.org>');
  });
});
