import { convert } from 'html-to-text';

/** What a maintainer copy calls the sender's original HTML when a mail had no text part. */
export const ORIGINAL_HTML_FILENAME = 'original-message.html';

/**
 * The text of an HTML-only mail (Proton Mail and other webmail send no text/plain part). The
 * HTML is converted as text, never rendered: nothing it references (images, styles, links) is
 * fetched, and link targets are shown in brackets so a maintainer sees where they point.
 */
export function textFromHtml(html: string): string {
  return convert(html, {
    // Long lines (patches, armored blocks, URLs) stay whole.
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ],
  }).trim();
}
