import { checkMaintainerKeys } from '../../shared/config/maintainer-keys';
import { defaultConfigFile, type Maintainer } from '../../shared/config/embargo-config';
import { OpenPgpMailCrypto } from '../../shared/pgp/openpgp-mail-crypto';
import { pgpFixture } from '../support/local-stores';

const crypto = new OpenPgpMailCrypto(() => Promise.reject(new Error('not needed')));
const inspect = (armored: string) => crypto.inspectKey(armored);
const check = (maintainers: Maintainer[]) =>
  checkMaintainerKeys({ ...defaultConfigFile, maintainers }, inspect);

describe('maintainer keys at start-up', () => {
  const mia = pgpFixture('mia-public.asc').toString();

  it('accepts a maintainer whose key can be encrypted to and names their address', async () => {
    expect(await check([{ name: 'Mia', email: 'mia@example.org', publicKeyArmored: mia }])).toEqual(
      { problems: [], warnings: [] },
    );
  });

  it('refuses a maintainer without a key, or with an unusable one, by name, all at once', async () => {
    const { problems } = await check([
      { name: 'Mia', email: 'mia@example.org' },
      { name: 'Max', email: 'max@example.org', publicKeyArmored: 'not a key' },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^maintainer Mia <mia@example\.org> has no public key: set "publicKeyFile"/,
    );
    expect(problems[0]).toContain('"encryptedMail": false');
    expect(problems[1]).toMatch(
      /^maintainer Max <max@example\.org>: the key .* cannot be used for encryption/,
    );
  });

  it('refuses a secret key given as a maintainer key, naming the export command', async () => {
    const { problems } = await check([
      {
        name: 'Mia',
        email: 'mia@example.org',
        publicKeyArmored: pgpFixture('mia-secret.asc').toString(),
      },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(
        /^maintainer Mia <mia@example\.org>: .*it is a secret key, not a public key/,
      ),
    ]);
    expect(problems[0]).toContain('`gpg --export --armor <fingerprint>`');
  });

  it('lets an entry say on purpose that the maintainer takes no encrypted mail', async () => {
    expect(
      await check([{ name: 'Nokey', email: 'nokey@example.org', encryptedMail: false }]),
    ).toEqual({ problems: [], warnings: [] });
  });

  it('warns when no user id of the key names the maintainer address', async () => {
    const { problems, warnings } = await check([
      { name: 'Mia', email: 'mia@cryptolib.org', publicKeyArmored: mia },
    ]);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /no user id of the key names mia@cryptolib\.org \(it has ".*<mia@example\.org>"\)/,
      ),
    ]);
  });
});
