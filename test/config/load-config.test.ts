import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../shared/config/config-error';
import { loadConfigFile } from '../../shared/config/load-config';
import { parseResolvedConfig } from '../../shared/config/resolved-config';
import { pgpFixture } from '../support/local-stores';

/** The binary form of an armored export (what `gpg --export-secret-keys` writes without --armor). */
function binaryOf(armored: string): Buffer {
  const body = armored.split(/\r?\n\r?\n/)[1] ?? '';
  return Buffer.from(
    body
      .split('\n')
      .filter((l) => !l.startsWith('=') && !l.startsWith('-----'))
      .join(''),
    'base64',
  );
}

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('falls back to the local defaults when there is no file', () => {
    const config = loadConfigFile(undefined, dirWith({}));
    expect(config).toMatchObject({
      project: 'example',
      securityAddress: 'security@example.org',
      announceAddress: 'announce@example.org',
      ackWithinHours: 48,
      advanceNoticeDays: 7,
    });
  });

  it('reads embargo.config.json, applies defaults and reads maintainer keys', () => {
    const dir = dirWith({
      'embargo.config.json': JSON.stringify({
        project: 'cryptolib',
        securityAddress: 'security@cryptolib.org',
        announceAddress: 'announce@cryptolib.org',
        maintainers: [{ name: 'Mia', email: 'mia@cryptolib.org', publicKeyFile: 'mia.asc' }],
      }),
      'mia.asc': '-----BEGIN PGP PUBLIC KEY BLOCK-----\n...',
    });
    const config = loadConfigFile(undefined, dir);
    expect(config.project).toBe('cryptolib');
    expect(config.ackWithinHours).toBe(48);
    expect(config.maintainers[0]?.publicKeyArmored).toContain('BEGIN PGP PUBLIC KEY');
  });

  it('refuses a secret key where a public key is expected, naming the export command', () => {
    const dir = dirWith({
      'embargo.config.json': JSON.stringify({
        project: 'cryptolib',
        securityAddress: 'security@cryptolib.org',
        announceAddress: 'announce@cryptolib.org',
        maintainers: [
          { name: 'Mia', email: 'mia@example.org', publicKeyFile: 'mia.asc' },
          { name: 'Max', email: 'max@example.org', publicKeyFile: 'max.gpg' },
        ],
      }),
      // GnuPG's exports of secret keys: armored, and binary (`gpg --export-secret-keys`).
      'mia.asc': pgpFixture('mia-secret.asc').toString(),
    });
    writeFileSync(join(dir, 'max.gpg'), binaryOf(pgpFixture('max-secret.asc').toString()));
    const problems = problemsOf(() => loadConfigFile(undefined, dir));
    expect(problems).toEqual([
      expect.stringMatching(
        /^maintainers\.0\.publicKeyFile \(Mia\): .*mia\.asc holds a SECRET key/,
      ),
      expect.stringMatching(
        /^maintainers\.1\.publicKeyFile \(Max\): .*max\.gpg holds a SECRET key/,
      ),
    ]);
    expect(problems[0]).toContain('`gpg --export --armor <fingerprint>`');
  });

  it('refuses an empty list of maintainers: nobody would answer the reporters', () => {
    const dir = dirWith({
      'embargo.config.json': JSON.stringify({
        project: 'cryptolib',
        securityAddress: 'security@cryptolib.org',
        announceAddress: 'announce@cryptolib.org',
        maintainers: [],
      }),
    });
    expect(problemsOf(() => loadConfigFile(undefined, dir))).toEqual([
      expect.stringMatching(/^maintainers: at least one maintainer is needed/),
    ]);
  });

  it('gives line and column of a JSON syntax error, and names the file', () => {
    const dir = dirWith({ 'embargo.config.json': '{\n  "project": "cryptolib",\n  oops\n}\n' });
    let message = '';
    try {
      loadConfigFile(undefined, dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(join(dir, 'embargo.config.json'));
    expect(message).toMatch(/not valid JSON: .* at line 3, column 3$/m);
    expect(message).not.toMatch(/position/);
  });

  it('takes ossSecurity as an address with ossSecurityPost, or as one object, alike', () => {
    const base = {
      project: 'cryptolib',
      securityAddress: 'security@cryptolib.org',
      announceAddress: 'announce@cryptolib.org',
    };
    const dir = dirWith({
      'flat.json': JSON.stringify({
        ...base,
        ossSecurity: 'oss-security@lists.openwall.com',
        ossSecurityPost: 'send',
      }),
      'object.json': JSON.stringify({
        ...base,
        ossSecurity: { address: 'oss-security@lists.openwall.com', post: 'send' },
      }),
      'bad.json': JSON.stringify({ ...base, ossSecurity: { address: 'nowhere', post: 'shout' } }),
    });
    const flat = loadConfigFile('flat.json', dir);
    const object = loadConfigFile('object.json', dir);
    expect([object.ossSecurity, object.ossSecurityPost]).toEqual([
      'oss-security@lists.openwall.com',
      'send',
    ]);
    expect(object).toEqual(flat);
    expect(problemsOf(() => loadConfigFile('bad.json', dir))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ossSecurity: must be an email address/),
        expect.stringMatching(/^ossSecurityPost: /),
      ]),
    );
  });

  it('names every bad field with what is wrong', () => {
    const dir = dirWith({
      'bad.json': JSON.stringify({
        project: 'has spaces',
        securityAddress: 'not-an-address',
        announceAddress: 'announce@example.org',
        ackWithinHours: -1,
        maintainers: [{ name: '', email: 'mia@example.org' }],
        colour: 'blue',
      }),
    });
    const problems = problemsOf(() => loadConfigFile('bad.json', dir));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^project: /),
        expect.stringMatching(/^securityAddress: must be an email address/),
        expect.stringMatching(/^ackWithinHours: /),
        expect.stringMatching(/^maintainers\.0\.name: a maintainer needs a name/),
        expect.stringMatching(/colour/),
      ]),
    );
  });

  it('takes a long security address, since replies go to it unchanged, up to RFC 5321', () => {
    const dir = dirWith({
      'long.json': JSON.stringify({
        project: 'cryptolib',
        securityAddress: `${'x'.repeat(65)}@cryptolib.org`,
        announceAddress: 'announce@cryptolib.org',
      }),
    });
    expect(problemsOf(() => loadConfigFile('long.json', dir))).toEqual([
      expect.stringMatching(
        /^securityAddress: its local part \(before the @\) must be at most 64 characters/,
      ),
    ]);
    const ok = dirWith({
      'ok.json': JSON.stringify({
        project: 'cryptolib',
        securityAddress: 'product-security-response@cryptolib.org',
        announceAddress: 'announce@cryptolib.org',
      }),
    });
    expect(loadConfigFile('ok.json', ok).securityAddress).toBe(
      'product-security-response@cryptolib.org',
    );
  });

  it('explains a missing key file, a missing named file and broken JSON', () => {
    const dir = dirWith({
      'embargo.config.json': JSON.stringify({
        project: 'p',
        securityAddress: 's@p.org',
        announceAddress: 'a@p.org',
        maintainers: [{ name: 'Mia', email: 'mia@p.org', publicKeyFile: 'missing.asc' }],
      }),
      'broken.json': '{ "project": ',
    });
    expect(problemsOf(() => loadConfigFile(undefined, dir))[0]).toMatch(
      /^maintainers\.0\.publicKeyFile \(Mia\): file not found: .*missing\.asc$/,
    );
    expect(problemsOf(() => loadConfigFile('nope.json', dir))[0]).toMatch(/file not found/);
    expect(problemsOf(() => loadConfigFile('broken.json', dir))[0]).toMatch(/not valid JSON/);
  });

  it('names every unknown field, in every object, with the known field it resembles, all at once', () => {
    const dir = dirWith({
      'typos.json': JSON.stringify({
        project: 'cryptolib',
        securityAdress: 'security@cryptolib.org',
        announceAddress: 'announce@cryptolib.org',
        maintainers: [
          { name: 'Mia', email: 'mia@cryptolib.org', publicKey: 'keys/mia.asc' },
          { name: 'Max', email: 'max@cryptolib.org', publicKeyFile: 'max.asc', colour: 'blue' },
        ],
        upstreamSenders: [{ name: 'OpenSSL', adress: 'openssl-security@openssl.org' }],
        ackWithinHours: 'soon',
      }),
    });
    const problems = problemsOf(() => loadConfigFile('typos.json', dir));
    expect(problems).toEqual(
      expect.arrayContaining([
        '(top level): unknown field "securityAdress" (did you mean "securityAddress"?)',
        'maintainers.0 (Mia): unknown field "publicKey" (did you mean "publicKeyFile"?)',
        'maintainers.1 (Max): unknown field "colour" (known fields: name, email, publicKeyFile, encryptedMail)',
        'upstreamSenders.0: unknown field "adress" (did you mean "address"?)',
        expect.stringMatching(
          /^maintainers\.1\.publicKeyFile \(Max\): file not found: .*max\.asc$/,
        ),
        expect.stringMatching(/^ackWithinHours: /),
        'securityAddress: missing; this field is required',
        'upstreamSenders.0.address: missing; this field is required',
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  it('names unknown fields in the resolved form too', () => {
    const config = loadConfigFile(undefined, dirWith({}));
    const typo = {
      ...config,
      maintainers: [{ name: 'Mia', email: 'm@x.org', publicKeyArmor: 'k' }],
    };
    expect(
      problemsOf(() => parseResolvedConfig(JSON.stringify(typo), 'EMBARGO_CONFIG_JSON')),
    ).toEqual(['maintainers.0: unknown field "publicKeyArmor" (did you mean "publicKeyArmored"?)']);
  });

  it('reads exempt senders (addresses and domains) and refuses anything else, naming the entry', () => {
    const base = {
      project: 'cryptolib',
      securityAddress: 'security@cryptolib.org',
      announceAddress: 'announce@cryptolib.org',
    };
    const good = dirWith({
      'embargo.config.json': JSON.stringify({
        ...base,
        flood: { exemptSenders: ['cve-request@mitre.example', ' distro.example '] },
      }),
    });
    const config = loadConfigFile(undefined, good);
    expect(config.flood.exemptSenders).toEqual(['cve-request@mitre.example', 'distro.example']);
    expect(config.flood.reportsPerAddress).toBe(5);
    expect(loadConfigFile(undefined, dirWith({})).flood.exemptSenders).toEqual([]);
    expect(parseResolvedConfig(JSON.stringify(config), 'EMBARGO_CONFIG_JSON')).toEqual(config);

    const bad = dirWith({
      'embargo.config.json': JSON.stringify({
        ...base,
        flood: {
          exemptSenders: ['ok.example', '*.distro.example', 'not an address@', 'localhost'],
        },
      }),
    });
    const problems = problemsOf(() => loadConfigFile(undefined, bad));
    expect(problems).toEqual([
      expect.stringMatching(
        /^flood\.exemptSenders\.1: an exempt sender is an address .* or a domain/,
      ),
      expect.stringMatching(/^flood\.exemptSenders\.2: an exempt sender is an address/),
      expect.stringMatching(/^flood\.exemptSenders\.3: an exempt sender is an address/),
    ]);
    const typo = dirWith({
      'embargo.config.json': JSON.stringify({ ...base, flood: { exemptSender: ['a.example'] } }),
    });
    expect(problemsOf(() => loadConfigFile(undefined, typo))).toEqual([
      expect.stringMatching(/unknown field "exemptSender" \(did you mean "exemptSenders"\?\)/),
    ]);
  });

  it('round-trips the resolved form that Lambdas receive', () => {
    const config = loadConfigFile(undefined, dirWith({}));
    expect(parseResolvedConfig(JSON.stringify(config), 'EMBARGO_CONFIG_JSON')).toEqual(config);
    expect(problemsOf(() => parseResolvedConfig(undefined, 'EMBARGO_CONFIG_JSON'))[0]).toMatch(
      /not set/,
    );
  });
});
