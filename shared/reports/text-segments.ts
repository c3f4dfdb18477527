import type { SignatureCheck, TextSegment } from './report-content';

const CLEARSIGNED_TEXT =
  /-----BEGIN PGP SIGNED MESSAGE-----\r?\n(?:[A-Za-z]+: .*\r?\n)*\r?\n([\s\S]*?)\r?\n-----BEGIN PGP SIGNATURE-----/;

/** The text a clearsigned block signs, with RFC 4880 dash-escaping undone. */
export function clearsignedText(text: string): string | undefined {
  const body = CLEARSIGNED_TEXT.exec(text)?.[1];
  return body?.replace(/^- /gm, '');
}

/**
 * Replaces the stretch `[start, end)` of a segment's text by `inner`, keeping the text on either
 * side as unsigned-by-it segments of their own. Sliced, never `String.replace`: a replacement
 * string would expand `$&`, `` $` ``, `$'` and `$$` in a reporter's proof of concept.
 */
export function spliceSegment(
  segment: TextSegment,
  start: number,
  end: number,
  inner: TextSegment[],
): TextSegment[] {
  const side = (text: string): TextSegment[] =>
    text ? [{ text, signatures: segment.signatures }] : [];
  return [
    ...side(segment.text.slice(0, start)),
    ...inner.map((s) => ({ ...s, signatures: [...segment.signatures, ...s.signatures] })),
    ...side(segment.text.slice(end)),
  ];
}

/** Segments read inside a signed envelope (PGP/MIME, multipart/signed): all of them covered. */
export function coveredBy(segments: TextSegment[], outer: SignatureCheck[]): TextSegment[] {
  return segments.map((s) => ({ ...s, signatures: [...outer, ...s.signatures] }));
}

export function joinSegments(segments: TextSegment[]): string {
  return segments.map((s) => s.text).join('');
}

/** Whether some text that is not blank is covered by no signature at all. */
export function hasUnsignedText(segments: TextSegment[]): boolean {
  return segments.some((s) => !s.signatures.length && s.text.trim() !== '');
}
