import type { ContentInfo, SignedData } from 'pkijs';
import type { MimeEntity } from '../mail/mime-entity';
import { smimeLibrary } from './smime-library';

/** CMS content types (RFC 5652). */
const ENVELOPED_DATA = '1.2.840.113549.1.7.3';
const AUTH_ENVELOPED_DATA = '1.2.840.113549.1.9.16.1.23';
const SIGNED_DATA = '1.2.840.113549.1.7.2';
const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';
const COMMON_NAME = '2.5.4.3';

/** What an S/MIME entity is (RFC 8551): encrypted, opaque-signed, or neither. */
export type SmimeKind = 'enveloped' | 'signed-data';

const PKCS7_MIME = /^application\/(x-)?pkcs7-mime$/;

/** The body of an entity as bytes, its transfer encoding undone (S/MIME bodies are base64). */
function decodedBody(entity: MimeEntity): Buffer {
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(
    entity.headerText.replace(/\r?\n[ \t]+/g, ' '),
  )?.[1];
  return encoding?.toLowerCase() === 'base64'
    ? Buffer.from(entity.body.toString('latin1'), 'base64')
    : entity.body;
}

async function contentInfo(der: Buffer): Promise<ContentInfo | undefined> {
  const pkijs = await smimeLibrary();
  try {
    // Throws when the bytes are not BER or not a ContentInfo.
    return pkijs.ContentInfo.fromBER(new Uint8Array(der));
  } catch {
    return undefined;
  }
}

/**
 * Whether an entity is S/MIME `application/pkcs7-mime`, and which kind. The `smime-type`
 * parameter decides; without it (older clients), the CMS content type inside does.
 */
export async function smimeKind(entity: MimeEntity): Promise<SmimeKind | undefined> {
  if (!PKCS7_MIME.test(entity.contentType.value)) return undefined;
  const type = entity.contentType.params['smime-type']?.toLowerCase();
  if (type === 'enveloped-data' || type === 'authenveloped-data') return 'enveloped';
  if (type === 'signed-data') return 'signed-data';
  const info = await contentInfo(decodedBody(entity));
  if (info?.contentType === SIGNED_DATA) return 'signed-data';
  // An unreadable or unknown pkcs7-mime body is treated as encrypted: it cannot be read.
  return info?.contentType === ENVELOPED_DATA || info?.contentType === AUTH_ENVELOPED_DATA || !info
    ? 'enveloped'
    : undefined;
}

/** Whether a multipart/signed entity carries an S/MIME signature rather than an OpenPGP one. */
export function isSmimeSigned(entity: MimeEntity): boolean {
  return /pkcs7-signature/i.test(entity.contentType.params.protocol ?? '');
}

async function signedData(der: Buffer): Promise<SignedData | undefined> {
  const info = await contentInfo(der);
  if (info?.contentType !== SIGNED_DATA) return undefined;
  const pkijs = await smimeLibrary();
  try {
    return new pkijs.SignedData({ schema: info.content });
  } catch {
    return undefined;
  }
}

/** The signer's certificate as people name it: its e-mail address, else its common name. */
async function signerName(data: SignedData | undefined): Promise<string | undefined> {
  const pkijs = await smimeLibrary();
  const certificate = data?.certificates?.find(
    (c): c is InstanceType<typeof pkijs.Certificate> => c instanceof pkijs.Certificate,
  );
  const attributes = certificate?.subject.typesAndValues ?? [];
  const value = (oid: string) =>
    attributes.find((a) => a.type === oid)?.value.valueBlock.value as string | undefined;
  return value(EMAIL_ADDRESS) ?? value(COMMON_NAME);
}

/**
 * The MIME entity an opaque-signed message carries (the encapsulated content of its CMS
 * SignedData), or undefined when it cannot be read.
 */
export async function opaqueSignedContent(entity: MimeEntity): Promise<Buffer | undefined> {
  const data = await signedData(decodedBody(entity));
  const content = data?.encapContentInfo.eContent;
  if (!content) return undefined;
  // OctetString.getValue joins the pieces of a constructed (BER, chunked) string.
  return Buffer.from(content.getValue());
}

/**
 * What an S/MIME signature says. Embargo checks OpenPGP signatures only, so this one is named as
 * such (whom its certificate names, unchecked) and never counts as verified: it authenticates
 * nothing.
 */
export async function smimeSigner(
  signatureEntity: MimeEntity,
  scope: 'opaque' | 'detached',
): Promise<{ certificateSubject?: string; problem: string }> {
  const signer = await signerName(await signedData(decodedBody(signatureEntity)));
  return {
    ...(signer ? { certificateSubject: signer.slice(0, 200) } : {}),
    problem: `an S/MIME ${scope === 'opaque' ? 'opaque-signed' : 'signed'} message; Embargo checks OpenPGP signatures only, so this S/MIME signature was not checked`,
  };
}
