import type { Attachment, ParsedMail } from 'mailparser';
import { ORIGINAL_HTML_FILENAME, textFromHtml } from '../mail/html-body';
import { hasLegacyDisplayElement, withoutLegacyDisplayLines } from '../mail/protected-headers';
import type { ReportAttachment } from './report-content';

/**
 * The text of a report and, for an HTML-only mail, its original HTML to attach to the
 * maintainer copy (as a file: never rendered by Embargo).
 */
export function reportBody(
  parsed: ParsedMail,
  raw: Buffer,
): { text: string; originalHtml?: ReportAttachment } {
  if (parsed.text !== undefined && parsed.text.trim() !== '') {
    const text = hasLegacyDisplayElement(raw)
      ? withoutLegacyDisplayLines(parsed.text)
      : parsed.text;
    return { text };
  }
  if (typeof parsed.html !== 'string' || !parsed.html.trim()) return { text: parsed.text ?? '' };
  return {
    text: textFromHtml(parsed.html),
    originalHtml: {
      filename: ORIGINAL_HTML_FILENAME,
      contentType: 'text/html; charset=utf-8',
      content: Buffer.from(parsed.html, 'utf8'),
    },
  };
}

/**
 * An attachment's type as the sender gave it, with its charset for text: a Latin-1 text file
 * without `charset=` is shown garbled.
 */
export function attachmentContentType(a: Attachment): string {
  const header = a.headers.get('content-type') as { params?: Record<string, string> } | undefined;
  const charset = header?.params?.charset;
  if (!a.contentType.startsWith('text/') || !charset || !/^[A-Za-z0-9._:-]{1,40}$/.test(charset))
    return a.contentType;
  return `${a.contentType}; charset=${charset.toLowerCase()}`;
}
