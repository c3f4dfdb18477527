import { multipartParts, readEntity, type MimeEntity } from '../mail/mime-entity';
import { isSmimeSigned } from '../smime/smime-parts';

const MAX_MIME_DEPTH = 16;

/**
 * multipart/signed entities below the top level, e.g. a signed part with an unsigned part added
 * after it. Their signatures cover that part only.
 */
export function nestedSignedParts(entity: MimeEntity, depth = 0): [Buffer, Buffer][] {
  if (depth > MAX_MIME_DEPTH) return [];
  const found: [Buffer, Buffer][] = [];
  for (const part of multipartParts(entity) ?? []) {
    const child = readEntity(part);
    // S/MIME signatures are not OpenPGP ones: reported by the reader, not checked here.
    if (child.contentType.value === 'multipart/signed' && isSmimeSigned(child)) continue;
    if (child.contentType.value === 'multipart/signed') {
      const [signed, signature] = multipartParts(child) ?? [];
      if (signed && signature) found.push([signed, readEntity(signature).body]);
    } else {
      found.push(...nestedSignedParts(child, depth + 1));
    }
  }
  return found;
}
