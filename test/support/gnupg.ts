import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { newGnupgHome, removeGnupgHome } from './gnupg-homes';
import { PGP_FIXTURES } from './local-stores';
import type { DeliveredMail } from './maildir';
import { signedEnvelope } from './pgp-mime-envelopes';

const NO_PASSPHRASE = ['--passphrase', '', '--pinentry-mode', 'loopback'];

/** A throwaway GnuPG home holding the named fixture keys, to read mail as their owner would. */
export class GnuPg {
  readonly home = newGnupgHome('embargo-gpg');

  constructor(keyFiles: string[]) {
    for (const file of keyFiles) this.run(['--import', join(PGP_FIXTURES, file)]);
  }

  run(args: string[], input?: string | Buffer) {
    return spawnSync(
      'gpg',
      ['--homedir', this.home, '--batch', '--yes', '--trust-model', 'always', ...args],
      {
        input,
      },
    );
  }

  /** Makes a key without a passphrase (as an attacker's own key) and returns its fingerprint. */
  generate(userId: string, algo = 'future-default', usage = 'default'): string {
    const made = this.run([...NO_PASSPHRASE, '--quick-gen-key', userId, algo, usage, 'never']);
    if (made.status !== 0) throw new Error(made.stderr.toString());
    const listed = this.run(['--with-colons', '--list-keys', userId]).stdout.toString();
    return /^fpr:+([0-9A-F]{40}):/m.exec(listed)![1]!;
  }

  /** Adds a user id (another address) to a key made with generate(). */
  addUserId(fingerprint: string, userId: string): void {
    const added = this.run([...NO_PASSPHRASE, '--quick-add-uid', fingerprint, userId]);
    if (added.status !== 0) throw new Error(added.stderr.toString());
  }

  /** A key of this keyring as a reporter or an attacker attaches it: armored and binary. */
  exportKey(fingerprint: string): { armored: string; binary: Buffer; fingerprint: string } {
    return {
      armored: this.run(['--armor', '--export', fingerprint]).stdout.toString(),
      binary: this.run(['--export', fingerprint]).stdout,
      fingerprint,
    };
  }

  /** Decrypts; returns the plaintext and the fingerprints of valid signatures, or the error. */
  decrypt(ciphertext: string | Buffer): {
    ok: boolean;
    plaintext: Buffer;
    validSignatures: string[];
    stderr: string;
  } {
    const result = this.run(['--status-fd', '2', '--decrypt'], ciphertext);
    const stderr = result.stderr.toString();
    const validSignatures = [...stderr.matchAll(/\[GNUPG:\] VALIDSIG ([0-9A-F]{40})/g)].map(
      (m) => m[1]!,
    );
    return { ok: result.status === 0, plaintext: result.stdout, validSignatures, stderr };
  }

  close(): void {
    removeGnupgHome(this.home);
  }
}

export function gpgAvailable(): boolean {
  try {
    execFileSync('gpg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The armored payload of a PGP/MIME message, or undefined when the mail is not PGP/MIME. */
export function pgpMimePayload(mail: DeliveredMail): string | undefined {
  if (
    !/^multipart\/encrypted/i.test(
      mail.parsed.headers.get('content-type')
        ? String((mail.parsed.headers.get('content-type') as { value: string }).value)
        : '',
    )
  ) {
    return undefined;
  }
  return mail.parsed.attachments
    .find((a) => a.contentType === 'application/octet-stream')
    ?.content.toString('utf8');
}

/** Decrypts a delivered PGP/MIME mail with GnuPG and parses the inner MIME entity. */
export async function openPgpMime(
  gpg: GnuPg,
  mail: DeliveredMail,
): Promise<{ inner: ParsedMail; validSignatures: string[] } | { error: string }> {
  const payload = pgpMimePayload(mail);
  if (!payload) return { error: 'not PGP/MIME' };
  const result = gpg.decrypt(payload);
  if (!result.ok) return { error: result.stderr };
  return { inner: await simpleParser(result.plaintext), validSignatures: result.validSignatures };
}

/** A PGP/MIME multipart/signed mail (RFC 3156), signed with the default key of `gpg`'s home. */
export function signedMail(
  gpg: GnuPg,
  headers: { from: string; to: string; subject: string; messageId: string; inReplyTo?: string },
  body: string,
  attachments: { filename: string; content: string }[] = [],
): string {
  const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
  const textPart = `Content-Type: text/plain; charset=utf-8\r\n\r\n${crlf(body)}\r\n`;
  const part = attachments.length
    ? [
        'Content-Type: multipart/mixed; boundary="mixed"',
        '',
        '--mixed',
        textPart,
        ...attachments.flatMap((a) => [
          '--mixed',
          `Content-Type: text/x-diff; name="${a.filename}"`,
          `Content-Disposition: attachment; filename="${a.filename}"`,
          '',
          crlf(a.content),
        ]),
        '--mixed--',
        '',
      ].join('\r\n')
    : textPart;
  const signature = gpg.run(['--armor', '--detach-sign'], part);
  if (signature.status !== 0) throw new Error(signature.stderr.toString());
  return signedEnvelope(
    [
      `From: ${headers.from}`,
      `To: ${headers.to}`,
      `Subject: ${headers.subject}`,
      `Message-ID: ${headers.messageId}`,
      ...(headers.inReplyTo
        ? [`In-Reply-To: ${headers.inReplyTo}`, `References: ${headers.inReplyTo}`]
        : []),
    ],
    part,
    signature.stdout.toString(),
  );
}
