import type { PartialConfig } from 'openpgp';
import { simpleParser, type ParsedMail } from 'mailparser';
import type {
  DecryptionFailure,
  ReportAttachment,
  ReportContent,
  SignatureCheck,
  SignedPart,
  TextSegment,
} from './report-content';
import type { ReportReader } from './report-reader';
import { headersOnly, multipartParts, readEntity, type MimeEntity } from '../mail/mime-entity';
import { parseMail } from '../mail/parse-mail';
import { readProtectedHeaders, withoutLegacyDisplay } from '../mail/protected-headers';
import { attachmentContentType, reportBody } from './report-body';
import { nestedSignedParts } from './signed-parts';
import { clearsignedText, coveredBy, joinSegments, spliceSegment } from './text-segments';
import { MAX_DECRYPTED_BYTES, openpgpSettings } from '../pgp/openpgp-settings';
import { PublicKeyCache } from '../pgp/public-key-cache';
import { decryptOpenPgp, OpenPgpDecryptionFailed } from '../pgp/openpgp-decryption';
import {
  autocryptKey,
  readKnownKeys,
  verifyClearsigned,
  verifyDetached,
  type SignerCheck,
  type VerifyingKeys,
} from '../pgp/openpgp-verification';
import type { ProjectKey } from '../pgp/project-key';
import { isSmimeSigned, opaqueSignedContent, smimeKind, smimeSigner } from '../smime/smime-parts';

const ARMORED_MESSAGE = /-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/;
const CLEARSIGNED =
  /-----BEGIN PGP SIGNED MESSAGE-----[\s\S]*?-----BEGIN PGP SIGNATURE-----[\s\S]*?-----END PGP SIGNATURE-----/;

const scoped = (part: SignedPart, checks: SignerCheck[]): SignatureCheck[] =>
  checks.map((c) => ({ ...c, part }));

async function smimeCheck(
  entity: MimeEntity,
  scope: 'opaque' | 'detached',
): Promise<SignatureCheck> {
  return {
    part: 'smime-signature',
    keyId: 'unknown',
    verified: false,
    ...(await smimeSigner(entity, scope)),
  };
}

/**
 * Reads a report as the reporter's client sent it, walking its MIME structure once: plain or
 * HTML-only, PGP/MIME (with protected headers), inline PGP, clearsigned, multipart/signed,
 * S/MIME (recognised; its signatures reported unchecked). What each part is decides which
 * decrypt-or-verify function of pgp/ or smime/ it goes to; the report is assembled here, with
 * each stretch of text marked with what signs it.
 */
export class MailReportReader implements ReportReader {
  private readonly settings: PartialConfig;

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
    const first = await this.readMessage(raw, { keys: known, offered: new Set() });
    // A reporter's first signed mail usually carries the key itself: check again with it.
    const unknownSigner = first.signatures.some((s) => !s.fingerprint);
    if (!unknownSigner || !first.offeredKeys.length) return first;
    const offered = await readKnownKeys(first.offeredKeys);
    return this.readMessage(raw, { keys: [...known, ...offered], offered: new Set(offered) });
  }

  private async readMessage(raw: Buffer, verifying: VerifyingKeys): Promise<ReportContent> {
    const top = readEntity(raw);
    const pgpMime =
      top.contentType.value === 'multipart/encrypted' &&
      /application\/pgp-encrypted/i.test(top.contentType.params.protocol ?? '');
    const smime = await smimeKind(top);
    // PGP/MIME and S/MIME need only the outer headers (Autocrypt); decoding their body would
    // copy the ciphertext once more.
    const outer = pgpMime || smime ? await simpleParser(headersOnly(raw)) : await parseMail(raw);
    const offeredKeys = await this.autocryptKeys(outer);
    const empty = { text: '', segments: [], attachments: [], signatures: [], offeredKeys };
    if (smime === 'enveloped') {
      // Nothing of it can be read: the case records that, and the reporter is asked to resend.
      return { ...empty, encryption: 'smime', failure: 'smime-encrypted' };
    }
    if (smime === 'signed-data') {
      const signed = await opaqueSignedContent(top);
      const inner = await this.readEntity(signed ?? raw, verifying);
      const outerChecks = signed ? [await smimeCheck(top, 'opaque')] : [];
      return {
        ...inner,
        segments: coveredBy(inner.segments, outerChecks),
        signatures: [...outerChecks, ...inner.signatures],
        offeredKeys: [...offeredKeys, ...inner.offeredKeys],
      };
    }
    if (pgpMime) {
      const payload = multipartParts(top)?.[1];
      const ciphertext = payload ? readEntity(payload).body : Buffer.alloc(0);
      try {
        const { data, signers } = await decryptOpenPgp(
          ciphertext,
          await this.decrypting(verifying),
        );
        const plaintext = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
        const protectedHeaders = await readProtectedHeaders(plaintext);
        const inner = await this.readEntity(plaintext, verifying);
        const outerChecks = scoped('encrypted-payload', signers);
        return {
          ...inner,
          encryption: 'pgp-mime',
          ...(protectedHeaders ? { protectedHeaders } : {}),
          segments: coveredBy(inner.segments, outerChecks),
          signatures: [...outerChecks, ...inner.signatures],
          offeredKeys: [...offeredKeys, ...inner.offeredKeys],
        };
      } catch (err) {
        if (err instanceof OpenPgpDecryptionFailed)
          return { ...empty, encryption: 'pgp-mime', failure: err.failure };
        throw err;
      }
    }
    const content = await this.readEntity(raw, verifying, outer);
    return { ...content, offeredKeys: [...offeredKeys, ...content.offeredKeys] };
  }

  private async decrypting(verifying: VerifyingKeys) {
    return {
      projectKey: await this.projectKey(),
      verifying,
      config: this.settings,
      maxBytes: this.maxBytes,
    };
  }

  /** A (possibly decrypted) MIME entity: multipart/signed, inline PGP, clearsigned or plain. */
  private async readEntity(
    raw: Buffer,
    verifying: VerifyingKeys,
    parsedAlready?: ParsedMail,
  ): Promise<ReportContent> {
    const entity = readEntity(raw);
    if (entity.contentType.value === 'multipart/signed') {
      const [signedBytes, signaturePart] = multipartParts(entity) ?? [];
      if (signedBytes && signaturePart) {
        const inner = await this.readEntity(signedBytes, verifying);
        const outerChecks = isSmimeSigned(entity)
          ? [await smimeCheck(readEntity(signaturePart), 'detached')]
          : scoped(
              'multipart-signed',
              await verifyDetached(
                signedBytes,
                readEntity(signaturePart).body,
                verifying,
                this.settings,
              ),
            );
        return {
          ...inner,
          segments: coveredBy(inner.segments, outerChecks),
          signatures: [...outerChecks, ...inner.signatures],
        };
      }
    }

    // A legacy-display copy of protected headers is not part of the report.
    const shown = parsedAlready ? raw : withoutLegacyDisplay(raw);
    const parsed = parsedAlready ?? (await parseMail(shown));
    const body = reportBody(parsed, shown);
    let segments: TextSegment[] = [{ text: body.text, signatures: [] }];
    let encryption: ReportContent['encryption'] = 'none';
    let failure: DecryptionFailure | undefined;
    const signatures: SignatureCheck[] = [];
    for (const [signedBytes, signatureBody] of nestedSignedParts(entity)) {
      const checks = await verifyDetached(signedBytes, signatureBody, verifying, this.settings);
      // Which stretch of the joined text such a part is cannot be told: it signs no segment.
      signatures.push(
        ...scoped('multipart-signed', checks).map((c) => ({ ...c, partial: true as const })),
      );
    }

    const armored = ARMORED_MESSAGE.exec(body.text);
    if (armored) {
      encryption = 'pgp-inline';
      try {
        const decrypted = await decryptOpenPgp(
          Buffer.from(armored[0]),
          await this.decrypting(verifying),
        );
        const checks = scoped('encrypted-payload', decrypted.signers);
        signatures.push(...checks);
        // Only the decrypted block is what its signatures cover; text around it is its own.
        segments = spliceSegment(segments[0]!, armored.index, armored.index + armored[0].length, [
          { text: Buffer.from(decrypted.data).toString('utf8'), signatures: checks },
        ]);
      } catch (err) {
        if (!(err instanceof OpenPgpDecryptionFailed)) throw err;
        failure = err.failure;
        segments = [];
      }
    }

    segments = await this.withClearsignedBlock(segments, signatures, verifying);

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
        encryption === 'pgp-inline'
          ? await this.decryptAttachment(attachment, verifying)
          : attachment,
      );
    }
    if (body.originalHtml) attachments.push(body.originalHtml);
    return {
      encryption,
      ...(failure ? { failure } : {}),
      text: joinSegments(segments),
      segments,
      attachments,
      signatures,
      offeredKeys,
    };
  }

  /** The first clearsigned block, verified and made a segment of its own. */
  private async withClearsignedBlock(
    segments: TextSegment[],
    signatures: SignatureCheck[],
    verifying: VerifyingKeys,
  ): Promise<TextSegment[]> {
    for (const [i, segment] of segments.entries()) {
      const block = CLEARSIGNED.exec(segment.text);
      if (!block) continue;
      const checks = scoped(
        'clearsigned-block',
        await verifyClearsigned(block[0], verifying, this.settings),
      );
      signatures.push(...checks);
      const signedText = clearsignedText(block[0]);
      return [
        ...segments.slice(0, i),
        ...spliceSegment(segment, block.index, block.index + block[0].length, [
          {
            text: block[0],
            signatures: checks,
            ...(signedText !== undefined ? { signedText } : {}),
          },
        ]),
        ...segments.slice(i + 1),
      ];
    }
    return segments;
  }

  private async decryptAttachment(
    a: ReportAttachment,
    verifying: VerifyingKeys,
  ): Promise<ReportAttachment> {
    if (
      !/\.(pgp|gpg|asc)$/i.test(a.filename) ||
      /PGP (PUBLIC KEY|SIGNATURE)/.test(a.content.toString('latin1', 0, 100))
    ) {
      return a;
    }
    try {
      const { data } = await decryptOpenPgp(a.content, await this.decrypting(verifying));
      return {
        filename: a.filename.replace(/\.(pgp|gpg|asc)$/i, ''),
        contentType: 'application/octet-stream',
        content: Buffer.from(data),
      };
    } catch {
      return a;
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
    const key = await autocryptKey(keydata);
    return key ? [key] : [];
  }
}
