import type { Message, PublicKey } from 'openpgp';
import { simpleParser, type ParsedMail } from 'mailparser';
import type {
  DecryptionFailure,
  ReportAttachment,
  ReportContent,
  SignatureCheck,
} from '../reports/report-content';
import type { ReportReader } from '../reports/report-reader';
import { headersOnly, multipartParts, readEntity } from '../mail/mime-entity';
import { parseMail } from '../mail/parse-mail';
import { openpgp } from './openpgp-module';
import { MAX_DECRYPTED_BYTES, openpgpSettings } from './openpgp-settings';
import { PublicKeyCache } from './public-key-cache';
import { readProtectedHeaders, withoutLegacyDisplay } from '../mail/protected-headers';
import { attachmentContentType, reportBody } from '../reports/report-body';
import {
  checkSignatures,
  nestedSignedParts,
  offeredInMessage,
  readKnownKeys,
  type VerificationResult,
} from './openpgp-signatures';
import type { ProjectKey } from './project-key';
import {
  isSmimeSigned,
  opaqueSignedContent,
  smimeKind,
  smimeSignatureCheck,
} from '../smime/smime-parts';
import { errorMessage } from '../errors';

const ARMORED_MESSAGE = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/;
const CLEARSIGNED =
  /-----BEGIN PGP SIGNED MESSAGE-----[\s\S]*?-----BEGIN PGP SIGNATURE-----[\s\S]*?-----END PGP SIGNATURE-----/;

class DecryptionFailed extends Error {
  constructor(readonly failure: DecryptionFailure) {
    super(failure);
  }
}

function failureFrom(err: unknown): DecryptionFailure {
  const message = err instanceof Error ? err.message : String(err);
  if (/not authenticated|unauthenticated/i.test(message)) return 'no-integrity-protection';
  if (/decompress.*(size|exceed)|too large|maximum/i.test(message)) return 'too-large';
  if (
    /unsupported|unknown (algorithm|packet)|not implemented|invalid enum|non-preferred/i.test(
      message,
    )
  ) {
    return 'unsupported';
  }
  return 'corrupt';
}

/**
 * Reads reports as reporters' mail clients send them: plain or HTML-only, inline PGP, PGP/MIME
 * (with protected headers), OpenPGP-signed; S/MIME recognised, its signatures reported unchecked.
 */
export class OpenPgpReportReader implements ReportReader {
  private readonly settings: typeof openpgpSettings;

  constructor(
    private readonly projectKey: () => Promise<ProjectKey>,
    private readonly maxBytes = MAX_DECRYPTED_BYTES,
  ) {
    this.settings = { ...openpgpSettings, maxDecompressedMessageSize: maxBytes };
  }

  /** Known signers' keys (maintainers', reporters'), parsed once. Offered keys never come from here. */
  private readonly knownKeys = new PublicKeyCache();

  async read(raw: Buffer, knownSignerKeys: string[]): Promise<ReportContent> {
    const known = await readKnownKeys(knownSignerKeys, (text) => this.knownKeys.read(text));
    const first = await this.readWith(raw, known);
    // A reporter's first signed mail usually carries the key itself: check again with it.
    const unknownSigner = first.signatures.some((s) => !s.fingerprint);
    if (!unknownSigner || !first.offeredKeys.length) return first;
    const offered = await readKnownKeys(first.offeredKeys);
    offered.forEach((k) => offeredInMessage.add(k));
    return this.readWith(raw, [...known, ...offered]);
  }

  private async readWith(raw: Buffer, known: PublicKey[]): Promise<ReportContent> {
    const top = readEntity(raw);
    const pgpMime =
      top.contentType.value === 'multipart/encrypted' &&
      /application\/pgp-encrypted/i.test(top.contentType.params.protocol ?? '');
    const smime = await smimeKind(top);
    // PGP/MIME and S/MIME need only the outer headers (Autocrypt); decoding their body would
    // copy the ciphertext once more.
    const outer = pgpMime || smime ? await simpleParser(headersOnly(raw)) : await parseMail(raw);
    const offeredKeys = await this.autocryptKeys(outer);
    if (smime === 'enveloped') {
      // Nothing of it can be read: the case records that, and the reporter is asked to resend.
      return {
        encryption: 'smime',
        failure: 'smime-encrypted',
        text: '',
        attachments: [],
        signatures: [],
        offeredKeys,
      };
    }
    if (smime === 'signed-data') {
      const signed = await opaqueSignedContent(top);
      const inner = await this.readEntityContent(signed ?? raw, known);
      return {
        ...inner,
        signatures: [
          ...(signed ? [await smimeSignatureCheck(top, 'opaque')] : []),
          ...inner.signatures,
        ],
        offeredKeys: [...offeredKeys, ...inner.offeredKeys],
      };
    }

    if (pgpMime) {
      const payload = multipartParts(top)?.[1];
      const ciphertext = payload ? readEntity(payload).body : Buffer.alloc(0);
      const content: ReportContent = {
        encryption: 'pgp-mime',
        text: '',
        attachments: [],
        signatures: [],
        offeredKeys,
      };
      try {
        const { data, signatures } = await this.decryptBytes(ciphertext, known);
        const plaintext = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        const protectedHeaders = await readProtectedHeaders(plaintext);
        const inner = await this.readEntityContent(plaintext, known);
        return {
          ...inner,
          encryption: 'pgp-mime',
          ...(protectedHeaders ? { protectedHeaders } : {}),
          signatures: [
            ...(await checkSignatures(signatures, 'encrypted-payload', known)),
            ...inner.signatures,
          ],
          offeredKeys: [...offeredKeys, ...inner.offeredKeys],
        };
      } catch (err) {
        if (err instanceof DecryptionFailed) return { ...content, failure: err.failure };
        throw err;
      }
    }

    const content = await this.readEntityContent(raw, known, outer);
    return { ...content, offeredKeys: [...offeredKeys, ...content.offeredKeys] };
  }

  /** A (possibly decrypted) MIME entity: multipart/signed, inline PGP, clearsigned or plain. */
  private async readEntityContent(
    raw: Buffer,
    known: PublicKey[],
    parsedAlready?: ParsedMail,
  ): Promise<ReportContent> {
    const entity = readEntity(raw);
    if (entity.contentType.value === 'multipart/signed') {
      const [signedBytes, signaturePart] = multipartParts(entity) ?? [];
      if (signedBytes && signaturePart) {
        const inner = await this.readEntityContent(signedBytes, known);
        if (isSmimeSigned(entity)) {
          const check = await smimeSignatureCheck(readEntity(signaturePart), 'detached');
          return { ...inner, signatures: [check, ...inner.signatures] };
        }
        const signatures = await this.verifyDetached(
          signedBytes,
          readEntity(signaturePart).body,
          known,
        );
        return { ...inner, signatures: [...signatures, ...inner.signatures] };
      }
    }

    // A legacy-display copy of protected headers is not part of the report.
    const shown = parsedAlready ? raw : withoutLegacyDisplay(raw);
    const parsed = parsedAlready ?? (await parseMail(shown));
    const body = reportBody(parsed, shown);
    let text = body.text;
    let encryption: ReportContent['encryption'] = 'none';
    let failure: DecryptionFailure | undefined;
    const signatures: SignatureCheck[] = [];
    for (const [signedBytes, signatureBody] of nestedSignedParts(entity)) {
      const checks = await this.verifyDetached(signedBytes, signatureBody, known);
      signatures.push(...checks.map((c) => ({ ...c, partial: true as const })));
    }

    const armored = ARMORED_MESSAGE.exec(text)?.[0];
    if (armored) {
      encryption = 'pgp-inline';
      try {
        const decrypted = await this.decryptBytes(Buffer.from(armored), known);
        text = text.replace(armored, Buffer.from(decrypted.data).toString('utf8'));
        signatures.push(
          ...(await checkSignatures(decrypted.signatures, 'encrypted-payload', known)),
        );
      } catch (err) {
        if (!(err instanceof DecryptionFailed)) throw err;
        failure = err.failure;
        text = '';
      }
    }

    const clearsigned = CLEARSIGNED.exec(text)?.[0];
    if (clearsigned) signatures.push(...(await this.verifyClearsigned(clearsigned, known)));

    const attachments: ReportAttachment[] = [];
    const offeredKeys: string[] = [];
    for (const a of parsed.attachments) {
      const attachment = {
        filename: a.filename ?? 'attachment',
        contentType: attachmentContentType(a),
        content: a.content,
      };
      if (
        a.contentType === 'application/pgp-keys' ||
        /PGP PUBLIC KEY BLOCK/.test(a.content.toString('latin1', 0, 200))
      ) {
        offeredKeys.push(a.content.toString('utf8'));
      }
      attachments.push(
        encryption === 'pgp-inline' ? await this.decryptAttachment(attachment, known) : attachment,
      );
    }
    if (body.originalHtml) attachments.push(body.originalHtml);
    return {
      encryption,
      ...(failure ? { failure } : {}),
      text,
      attachments,
      signatures,
      offeredKeys,
    };
  }

  private async decryptAttachment(
    a: ReportAttachment,
    known: PublicKey[],
  ): Promise<ReportAttachment> {
    if (
      !/\.(pgp|gpg|asc)$/i.test(a.filename) ||
      /PGP (PUBLIC KEY|SIGNATURE)/.test(a.content.toString('latin1', 0, 100))
    ) {
      return a;
    }
    try {
      const { data } = await this.decryptBytes(a.content, known);
      return {
        filename: a.filename.replace(/\.(pgp|gpg|asc)$/i, ''),
        contentType: 'application/octet-stream',
        content: Buffer.from(data),
      };
    } catch {
      return a;
    }
  }

  private async decryptBytes(
    ciphertext: Buffer,
    known: PublicKey[],
  ): Promise<{ data: Uint8Array; signatures: VerificationResult[] }> {
    if (ciphertext.length > this.maxBytes) throw new DecryptionFailed('too-large');
    const { decrypt, readMessage } = await openpgp();
    const key = await this.projectKey();
    let message: Message<Uint8Array>;
    try {
      const text = ciphertext.toString('latin1');
      message = text.includes('-----BEGIN PGP MESSAGE-----')
        ? ((await readMessage({
            armoredMessage: text,
            config: this.settings,
          })) as Message<Uint8Array>)
        : await readMessage({ binaryMessage: ciphertext, config: this.settings });
    } catch (err) {
      throw new DecryptionFailed(failureFrom(err));
    }
    const ours = (await key.privateKey.getDecryptionKeys()).map((k) => k.getKeyID());
    const addressed = message.getEncryptionKeyIDs();
    if (!addressed.some((id) => ours.some((o) => o.equals(id, true)))) {
      throw new DecryptionFailed(addressed.length ? 'not-for-project-key' : 'unsupported');
    }
    try {
      const result = await decrypt({
        message,
        decryptionKeys: key.privateKey,
        verificationKeys: known,
        format: 'binary',
        config: this.settings,
      });
      return { data: result.data, signatures: result.signatures };
    } catch (err) {
      throw new DecryptionFailed(failureFrom(err));
    }
  }

  private async verifyDetached(
    signed: Buffer,
    signatureBody: Buffer,
    known: PublicKey[],
  ): Promise<SignatureCheck[]> {
    const { createMessage, readSignature, verify } = await openpgp();
    try {
      const text = signatureBody.toString('latin1');
      const signature = text.includes('-----BEGIN PGP SIGNATURE-----')
        ? await readSignature({ armoredSignature: text })
        : await readSignature({ binarySignature: signatureBody });
      const result = await verify({
        message: await createMessage({ binary: signed }),
        signature,
        verificationKeys: known,
        config: this.settings,
      });
      return checkSignatures(result.signatures, 'multipart-signed', known);
    } catch (err) {
      return [
        {
          part: 'multipart-signed',
          keyId: 'unknown',
          verified: false,
          problem: `unreadable signature (${errorMessage(err)})`,
        },
      ];
    }
  }

  private async verifyClearsigned(block: string, known: PublicKey[]): Promise<SignatureCheck[]> {
    const { readCleartextMessage, verify } = await openpgp();
    try {
      const message = await readCleartextMessage({ cleartextMessage: block });
      const result = await verify({ message, verificationKeys: known, config: this.settings });
      return checkSignatures(result.signatures, 'clearsigned-block', known);
    } catch (err) {
      return [
        {
          part: 'clearsigned-block',
          keyId: 'unknown',
          verified: false,
          problem: `unreadable signature (${errorMessage(err)})`,
        },
      ];
    }
  }

  /** An Autocrypt header offers the sender's key, but only for the From address itself. */
  private async autocryptKeys(parsed: ParsedMail): Promise<string[]> {
    const line = parsed.headerLines.find((h) => h.key === 'autocrypt')?.line;
    const from = parsed.from?.value[0]?.address?.toLowerCase();
    if (!line || !from) return [];
    const value = line.slice(line.indexOf(':') + 1).replace(/\s+/g, ' ');
    const addr = /(?:^|;)\s*addr=([^;\s]+)/i.exec(value)?.[1]?.toLowerCase();
    const keydata = /(?:^|;)\s*keydata=([A-Za-z0-9+/= ]+)/i.exec(value)?.[1]?.replace(/\s+/g, '');
    if (addr !== from || !keydata) return [];
    const { readKey } = await openpgp();
    try {
      const key = await readKey({ binaryKey: Buffer.from(keydata, 'base64') });
      return [key.armor()];
    } catch {
      return [];
    }
  }
}
