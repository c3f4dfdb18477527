import { escapeControls } from './control-characters';

/**
 * Text from outside (a remote server's diagnostic, a sender's file name) as one line of at most
 * `max` characters: line breaks and other control characters would let it forge lines of its
 * own in a mail or the case history, and bidi controls would reorder what a reader sees, so
 * those are shown as `\uXXXX`.
 */
export function singleLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  const shown = escapeControls(flat);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}
