import wrap from 'word-wrap';

/** Where outgoing mail text is wrapped: within RFC 5322's recommended 78, with room to quote. */
export const MAIL_TEXT_WIDTH = 76;

/**
 * A paragraph of Embargo's own words as lines of at most `width` characters (a longer word, such
 * as a URL or a CVSS vector, stays whole on its own line). Continuation lines get `hanging`, for
 * list items and labelled rows. Text from people (an advisory, a quoted mail) is not passed
 * through this: it is sent as written.
 */
export function wrapParagraph(text: string, hanging = '', width = MAIL_TEXT_WIDTH): string[] {
  const lines = (words: string, within: number) =>
    wrap(words, { width: within, indent: '', trim: true, cut: false, newline: '\n' }).split('\n');
  const [first = '', ...rest] = lines(text, width);
  if (!rest.length) return [first];
  return [first, ...lines(rest.join(' '), width - hanging.length).map((l) => hanging + l)];
}
