import type { PublicKey } from 'openpgp';
import { openpgp } from './openpgp-module';

const MAX_CACHED = 64;

/**
 * Parsed public keys by their armored text. Parsing a key and verifying its self-signatures
 * the first time costs more than the encryption itself (about 4 ms of the 7 ms of encrypting a
 * maintainer copy), and maintainers' keys are used for every mail. Bounded, since reporters'
 * keys pass through too. Expiry and revocation are still checked on every use
 * (`getEncryptionKey`, verification at a date).
 */
export class PublicKeyCache {
  private readonly keys = new Map<string, Promise<PublicKey[]>>();

  read(armored: string): Promise<PublicKey[]> {
    let keys = this.keys.get(armored);
    if (!keys) {
      keys = openpgp().then(({ readKeys }) => readKeys({ armoredKeys: armored }));
      // A text that does not parse is not kept: the caller sees the error each time.
      keys.catch(() => this.keys.delete(armored));
      if (this.keys.size >= MAX_CACHED) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(armored, keys);
    }
    return keys;
  }
}
