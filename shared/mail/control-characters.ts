/**
 * Control characters and the bidirectional-text controls (U+202A–202E, U+2066–2069) made
 * visible as `\uXXXX`: text from outside (subjects, names, file names) must not drive a terminal
 * or reorder what a reader sees (`invoice\u202Egpj.exe` shows as `invoiceexe.jpg`). The CLI and
 * the mail Embargo writes share this.
 */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) =>
    c === '\t' ? ' ' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
