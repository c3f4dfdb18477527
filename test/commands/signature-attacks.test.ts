import { createHash, createPublicKey, verify } from 'node:crypto';
import { authenticateCommands } from '../../shared/commands/command-authentication';
import type { MailDelivery } from '../../shared/mail/inbound-mail';
import { OpenPgpMailCrypto } from '../../shared/pgp/openpgp-mail-crypto';
import { MailReportReader } from '../../shared/reports/mail-report-reader';
import { openpgp } from '../../shared/pgp/openpgp-module';
import { GnuPg } from '../support/gnupg';
import { signedEnvelope } from '../support/pgp-mime-envelopes';
import { pgpFixture, testConfig } from '../support/local-stores';

/**
 * Issue 14, regression tests from a catalogue of published OpenPGP attacks: signatures that
 * must never authorise a maintainer's command, each in a real multipart/signed mail from the
 * maintainer's address, read by the report reader and judged by the command authentication.
 */
const crypto = new OpenPgpMailCrypto(() => Promise.reject(new Error('unused')));
const reader = new MailReportReader(() => Promise.reject(new Error('no decryption here')));
const miaPublic = pgpFixture('mia-public.asc').toString();
const mia = { name: 'Mia', email: 'mia@example.org', publicKeyArmored: miaPublic };
const COMMANDS = '/close invalid';
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const textPart = `Content-Type: text/plain; charset=utf-8\r\n\r\n${COMMANDS}\r\n`;

function signedMail(signature: string, part = textPart): Buffer {
  const headers = [
    'From: Mia <mia@example.org>',
    'To: security@example.org',
    'Subject: Re: [SEC-2026-0001] report',
    'Message-ID: <sig-attack@example.org>',
  ];
  return Buffer.from(signedEnvelope(headers, part, signature));
}

async function judge(raw: Buffer, maintainer = mia) {
  const content = await reader.read(raw, [maintainer.publicKeyArmored]);
  const delivery: MailDelivery = {
    messageId: 'm',
    receivedAt: new Date(),
    envelopeFrom: 'mia@example.org',
    recipients: ['security@example.org'],
    verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
  };
  const auth = await authenticateCommands({
    config: testConfig,
    crypto,
    maintainer,
    content,
    delivery,
    now: new Date(),
  });
  return { content, auth };
}

/** Checks a v4 EdDSA (legacy) signature packet body of type 0x02 against a public point. */
function standaloneSignatureValid(body: Buffer, point: Uint8Array): boolean {
  if (body[0] !== 4 || body[1] !== 0x02 || body[2] !== 22 || body[3] !== 10) return false;
  const hashedEnd = 6 + body.readUInt16BE(4);
  const hashed = body.subarray(0, hashedEnd);
  const trailer = Buffer.alloc(6);
  trailer[0] = 4;
  trailer[1] = 0xff;
  trailer.writeUInt32BE(hashed.length, 2);
  const digest = createHash('sha512').update(hashed).update(trailer).digest();
  let at = hashedEnd + 2 + body.readUInt16BE(hashedEnd) + 2;
  const mpi = () => {
    const bytes = Math.ceil(body.readUInt16BE(at) / 8);
    const value = body.subarray(at + 2, at + 2 + bytes);
    at += 2 + bytes;
    return Buffer.concat([Buffer.alloc(32 - value.length), value]);
  };
  const signature = Buffer.concat([mpi(), mpi()]);
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(point.subarray(1)).toString('base64url') },
    format: 'jwk',
  });
  return verify(null, digest, key, signature);
}

const batch = ['--passphrase', '', '--pinentry-mode', 'loopback'];

describe('signatures that never authorise a command', () => {
  const miaGpg = new GnuPg(['mia-secret.asc']);
  const attacker = new GnuPg([]);
  afterAll(() => {
    miaGpg.close();
    attacker.close();
  });

  it('accepts the genuine signature (the control)', async () => {
    const signature = miaGpg.run(['--armor', '--detach-sign', '--digest-algo', 'SHA512'], textPart);
    expect(signature.status).toBe(0);
    const { auth } = await judge(signedMail(signature.stdout.toString()));
    expect(auth.ok).toBe(true);
    expect(auth.ok && auth.signedText.trim()).toBe(COMMANDS);
  });

  it.each(['SHA1', 'MD5'])(
    "refuses a signature by the maintainer's key over %s",
    async (digest) => {
      const signature = miaGpg.run(
        ['--armor', '--detach-sign', '--digest-algo', digest, '--allow-weak-digest-algos'],
        textPart,
      );
      expect(signature.status).toBe(0);
      // GnuPG made what was asked for: the packet names the weak hash.
      const packets = miaGpg.run(['--list-packets'], signature.stdout).stdout.toString();
      expect(packets).toContain(`digest algo ${digest === 'SHA1' ? 2 : 1},`);
      const { content, auth } = await judge(signedMail(signature.stdout.toString()));
      expect(content.signatures.some((s) => s.verified)).toBe(false);
      expect(auth.ok).toBe(false);
    },
  );

  it.each(['SHA1', 'MD5'])(
    'refuses %s from an RSA key too, where no EdDSA hash-size rule applies',
    async (digest) => {
      const rita = new GnuPg([]);
      try {
        const made = rita.run([
          ...batch,
          '--quick-gen-key',
          'Rita <rita@example.org>',
          'rsa2048',
          'sign,encr',
          'never',
        ]);
        expect(made.status).toBe(0);
        const maintainer = {
          name: 'Rita',
          email: 'rita@example.org',
          publicKeyArmored: rita.run(['--armor', '--export', 'rita@example.org']).stdout.toString(),
        };
        const sign = (algo: string) =>
          rita
            .run(
              ['--armor', '--detach-sign', '--digest-algo', algo, '--allow-weak-digest-algos'],
              textPart,
            )
            .stdout.toString();
        // The same key over SHA-256 authorises: only the hash differs.
        expect((await judge(signedMail(sign('SHA256')), maintainer)).auth.ok).toBe(true);
        const { content, auth } = await judge(signedMail(sign(digest)), maintainer);
        expect(content.signatures).toEqual([expect.objectContaining({ verified: false })]);
        expect(auth.ok).toBe(false);
      } finally {
        rita.close();
      }
    },
    60_000,
  );

  it("refuses a standalone signature (type 0x02) made by the maintainer's own key", async () => {
    const { readPrivateKey, SignaturePacket, PacketList, Signature, enums, config } =
      await openpgp();
    const key = await readPrivateKey({ armoredKey: pgpFixture('mia-secret.asc').toString() });
    // A standalone signature signs no data at all: taken for a signature over the mail, it would
    // authorise any text. GnuPG cannot make one, so it is built from packets here.
    const packet = new SignaturePacket();
    packet.signatureType = enums.signature.standalone;
    packet.publicKeyAlgorithm = key.keyPacket.algorithm;
    packet.hashAlgorithm = enums.hash.sha512;
    packet.issuerKeyID = key.getKeyID();
    packet.issuerFingerprint = key.keyPacket.getFingerprintBytes()!;
    packet.issuerKeyVersion = key.keyPacket.version;
    packet.created = new Date();
    // openpgp's types omit sign()'s last parameter, the configuration it signs with.
    const sign = packet.sign.bind(packet) as (...args: unknown[]) => Promise<void>;
    await sign(key.keyPacket, {}, new Date(), false, config);
    const list = new PacketList();
    list.push(packet);
    const armored = new Signature(list as never).armor();
    // GnuPG 2.2 does not check standalone signatures ("Invalid signature class"), so the packet
    // is checked by hand (RFC 4880 5.2.4, EdDSA over the SHA-512 digest): a valid signature by
    // Mia's key, so the attack is real and not merely malformed.
    const publicQ = (await readPrivateKey({ armoredKey: pgpFixture('mia-secret.asc').toString() }))
      .keyPacket.publicParams as unknown as { Q: Uint8Array };
    expect(standaloneSignatureValid(Buffer.from(packet.write()), publicQ.Q)).toBe(true);
    const { content, auth } = await judge(signedMail(armored));
    expect(content.signatures.some((s) => s.verified)).toBe(false);
    expect(auth.ok).toBe(false);
  });

  it("refuses a signature by a signing subkey not bound to the maintainer's certificate, even one spliced into it and offered in the mail", async () => {
    const made = attacker.run([
      ...batch,
      '--quick-gen-key',
      'Mia <mia@example.org>',
      'ed25519',
      'cert',
      'never',
    ]);
    expect(made.status).toBe(0);
    const primary = /fpr:+([0-9A-F]{40}):/.exec(
      attacker.run(['--with-colons', '--list-keys']).stdout.toString(),
    )![1]!;
    expect(
      attacker.run([...batch, '--quick-add-key', primary, 'ed25519', 'sign', 'never']).status,
    ).toBe(0);
    const subkey = [
      ...attacker
        .run(['--with-colons', '--list-keys'])
        .stdout.toString()
        .matchAll(/^sub:(?:[^:]*:){3}([0-9A-F]{16}):/gm),
    ][0]![1]!;
    const sign = (part: string) => {
      const made = attacker.run(['--armor', '--detach-sign', '-u', `${subkey}!`], part);
      expect(made.status).toBe(0);
      return made.stdout.toString();
    };

    // The attacker's subkey and its binding signature, spliced after Mia's primary key and user id.
    const { readKey, PacketList, PublicKey, enums } = await openpgp();
    const miaKey = await readKey({ armoredKey: miaPublic });
    const theirs = await readKey({
      armoredKey: attacker.run(['--armor', '--export', primary]).stdout.toString(),
    });
    const sub = theirs.subkeys.find((s) => s.getKeyID().toHex().toUpperCase() === subkey)!;
    const packets = new PacketList();
    packets.push(
      miaKey.keyPacket,
      miaKey.users[0]!.userID!,
      ...miaKey.users[0]!.selfCertifications,
      sub.keyPacket,
      ...sub.bindingSignatures,
    );
    const spliced = new PublicKey(packets as never).armor();
    expect(enums.signature.subkeyBinding).toBe(24);
    // As a mail client attaches the sender's key: inside the signed part.
    const withKey = [
      'Content-Type: multipart/mixed; boundary="mixed"',
      '',
      '--mixed',
      textPart,
      '--mixed',
      'Content-Type: application/pgp-keys; name="mia.asc"',
      'Content-Disposition: attachment; filename="mia.asc"',
      '',
      crlf(spliced.trim()),
      '--mixed--',
      '',
    ].join('\r\n');

    const plain = await judge(signedMail(sign(textPart)));
    expect(plain.content.signatures).toEqual([
      expect.objectContaining({
        verified: false,
        problem: 'signed by a key Embargo does not know',
      }),
    ]);
    expect(plain.auth.ok).toBe(false);
    const offered = await judge(signedMail(sign(withKey), withKey));
    expect(offered.content.offeredKeys).toHaveLength(1);
    expect(offered.content.signatures.some((s) => s.verified && s.keyOrigin === 'known')).toBe(
      false,
    );
    expect(offered.auth.ok).toBe(false);
  });
});
