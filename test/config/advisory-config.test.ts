import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../shared/config/config-error';
import { loadConfigFile } from '../../shared/config/load-config';
import { parseResolvedConfig } from '../../shared/config/resolved-config';

const base = {
  project: 'cryptolib',
  securityAddress: 'security@cryptolib.org',
  announceAddress: 'announce@cryptolib.org',
};

function load(extra: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-config-'));
  writeFileSync(join(dir, 'embargo.config.json'), JSON.stringify({ ...base, ...extra }));
  return loadConfigFile(undefined, dir);
}

function problems(extra: Record<string, unknown>): string[] {
  try {
    load(extra);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('advisory and GitHub settings', () => {
  it('reads them, with GitHub.com as the default API', () => {
    const config = load({
      packageName: 'cryptolib-core',
      osvIdPrefix: 'CURL',
      github: { repository: 'example/cryptolib' },
    });
    expect(config).toMatchObject({
      packageName: 'cryptolib-core',
      osvIdPrefix: 'CURL',
      github: { repository: 'example/cryptolib', apiBaseUrl: 'https://api.github.com' },
    });
    // The Lambdas get the same values in the resolved form.
    expect(parseResolvedConfig(JSON.stringify(config), 'test').github).toEqual(config.github);
  });

  it('names each bad field', () => {
    expect(problems({ github: { repository: 'cryptolib' } })).toEqual([
      expect.stringMatching(/^github\.repository: the repository as owner\/name/),
    ]);
    expect(problems({ github: { repository: 'a/b', token: 'x' } })[0]).toMatch(/^github: /);
    expect(problems({ osvIdPrefix: 'x_' })[0]).toMatch(/^osvIdPrefix: a home-database prefix/);
  });
});
