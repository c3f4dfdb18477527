import { PublicKeyCache } from '../../shared/pgp/public-key-cache';
import { pgpFixture } from '../support/local-stores';

describe('PublicKeyCache', () => {
  it('parses each key text once', async () => {
    const cache = new PublicKeyCache();
    const mia = pgpFixture('mia-public.asc').toString();
    const [first] = await cache.read(mia);
    const [again] = await cache.read(mia);
    expect(again).toBe(first);
    expect(first?.getUserIDs().join()).toContain('mia@example.org');
  });

  it('does not keep a text that fails to parse', async () => {
    const cache = new PublicKeyCache();
    const broken =
      '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n';
    const first = cache.read(broken);
    await expect(first).rejects.toThrow();
    expect(cache.read(broken)).not.toBe(first);
    await expect(cache.read(broken)).rejects.toThrow();
  });

  it('holds at most 64 texts, dropping the oldest', async () => {
    const cache = new PublicKeyCache();
    const mia = pgpFixture('mia-public.asc').toString();
    const [first] = await cache.read(mia);
    // The same key with different trailing text: a different cache entry each time.
    for (let i = 0; i < 64; i++) await cache.read(`${mia}\n${' '.repeat(i + 1)}`);
    const [reread] = await cache.read(mia);
    expect(reread).not.toBe(first);
    expect(reread?.getFingerprint()).toBe(first?.getFingerprint());
  });
});
