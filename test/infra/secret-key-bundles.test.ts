import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../shared/config/config-error';
import { defaultConfigFile } from '../../shared/config/embargo-config';
import { configDefine } from '../../infra/aws/functions/bundled-config';
import { assetsWithSecretKeys } from '../../infra/aws/functions/stale-secret-assets';
import { pgpFixture } from '../support/local-stores';

const mia = (key: string) => ({
  ...defaultConfigFile,
  maintainers: [{ name: 'Mia', email: 'mia@example.org', publicKeyArmored: key }],
});

describe('secret keys and the Lambda bundles', () => {
  it('refuses to bundle a configuration holding a secret key', () => {
    expect(() => configDefine(mia(pgpFixture('mia-secret.asc').toString()))).toThrow(ConfigError);
    expect(() => configDefine(mia(pgpFixture('mia-secret.asc').toString()))).toThrow(
      /SECRET key; nothing was written/,
    );
    expect(Object.keys(configDefine(mia(pgpFixture('mia-public.asc').toString())))).toEqual([
      'process.env.EMBARGO_CONFIG_JSON',
    ]);
  });

  it('finds a secret key an earlier synth bundled, escaped as the bundled configuration is', () => {
    const out = mkdtempSync(join(tmpdir(), 'embargo-cdk-out-'));
    const clean = join(out, 'asset.clean');
    const stale = join(out, 'asset.stale');
    mkdirSync(clean);
    mkdirSync(stale);
    // openpgp's own code writes the armor line: that alone is no key.
    const library = readFileSync(require.resolve('openpgp'), 'utf8');
    expect(library).toContain('-----BEGIN PGP PRIVATE KEY BLOCK-----');
    writeFileSync(join(clean, 'index.mjs'), library);
    writeFileSync(join(stale, 'index.mjs'), library);
    const bundled = mia(pgpFixture('mia-secret.asc').toString());
    appendFileSync(join(stale, 'index.mjs'), `var c = ${JSON.stringify(JSON.stringify(bundled))};`);
    writeFileSync(join(out, 'manifest.json'), '{}');
    expect(assetsWithSecretKeys(out)).toEqual([join(stale, 'index.mjs')]);
  });
});
