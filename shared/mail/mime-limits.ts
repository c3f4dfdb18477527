import { multipartParts, readEntity } from './mime-entity';

/** Why a message is kept aside rather than read: its structure is beyond what any mail needs. */
export type MimeQuarantineReason = 'headers-too-large' | 'too-many-parts' | 'mime-too-deep';

export const quarantineExplanations: Record<MimeQuarantineReason, string> = {
  'headers-too-large': 'a header block or header is larger than any mail client writes',
  'too-many-parts': 'it has more MIME parts than any report needs',
  'mime-too-deep': 'its MIME parts are nested deeper than any mail client writes',
};

export const MIME_LIMITS = {
  headerBytes: 64 * 1024,
  parts: 1000,
  depth: 32,
} as const;

/**
 * Checks a raw message's structure before it is parsed, so that hostile shapes (100 KB headers,
 * 10,000 parts, 1,000 levels of nesting) cost a bounded scan rather than a parser's time.
 */
export function mimeLimitExceeded(raw: Buffer): MimeQuarantineReason | undefined {
  let parts = 0;
  const visit = (bytes: Buffer, depth: number): MimeQuarantineReason | undefined => {
    const entity = readEntity(bytes);
    if (entity.headerText.length > MIME_LIMITS.headerBytes) return 'headers-too-large';
    const children = multipartParts(entity);
    if (!children) return undefined;
    if (depth >= MIME_LIMITS.depth) return 'mime-too-deep';
    parts += children.length;
    if (parts > MIME_LIMITS.parts) return 'too-many-parts';
    for (const child of children) {
      const problem = visit(child, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(raw, 0);
}
