import EmailReplyParser from 'email-reply-parser';

/**
 * Where a client starts what it quotes or forwards without `>` marks; everything from there on
 * is someone else's text. Outlook: `-----Original Message-----`, or a line of underscores and a
 * From/Sent/To/Subject block; Gmail: `---------- Forwarded message ---------`; Apple Mail:
 * `Begin forwarded message:`; Thunderbird: `-------- Forwarded Message --------`.
 */
const QUOTE_START =
  /^\s*(?:-{2,}\s*(?:original message|forwarded message|ursprüngliche nachricht|message d'origine|mensaje original|weitergeleitete nachricht)\s*-*|begin forwarded message:|_{10,})\s*$/i;
const HEADER_FROM = /^\s*\*?(?:from|von|de|da|van|från)\s*:\*?\s*\S/i;
const HEADER_OTHER =
  /^\s*\*?(?:sent|date|to|subject|cc|gesendet|datum|an|betreff|envoyé|à|objet|enviado|para|asunto)\s*:\*?(\s|$)/i;

/** Whether the lines from `index` on open an Outlook-style header block (From, then Sent/To/…). */
function headerBlockAt(lines: string[], index: number): boolean {
  if (!HEADER_FROM.test(lines[index] ?? '')) return false;
  const next = lines.slice(index + 1, index + 5).filter((l) => l.trim() !== '');
  return next.length >= 2 && next.slice(0, 2).every((l) => HEADER_OTHER.test(l));
}

/**
 * What the sender of a reply wrote themselves: without `>`-quoted text (the forms common clients
 * write, after html-to-text turned an HTML `blockquote` into `>` lines), the attribution line
 * before a quote ("On …, X wrote:"), a quoted or forwarded original after its header block, and
 * the signature block. Text above and below a quote is kept (top- and bottom-posting, replies
 * between quoted lines). email-reply-parser finds attribution lines, `>` quotes and signatures;
 * the unmarked originals of Outlook and forwards are cut here first. `keep` leaves what looks
 * like a signature block (`--`, `Regards,` and what follows) in place: advisory text has rules
 * and sign-offs of its own.
 */
export function ownText(text: string, signatureBlock: 'drop' | 'keep' = 'drop'): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((l, i) => QUOTE_START.test(l) || headerBlockAt(lines, i));
  const before = start === -1 ? lines : lines.slice(0, start);
  // The rule a client draws above a header block (an HTML <hr> becomes a line of dashes).
  if (start !== -1) while (/^\s*(?:[-_=]{10,})?\s*$/.test(before.at(-1) ?? 'x')) before.pop();
  const kept = before.join('\n');
  const visible = new EmailReplyParser()
    .read(kept)
    .getFragments()
    .filter((f) => (signatureBlock === 'keep' ? !f.isQuoted() : !f.isHidden()))
    .map((f) => f.getContent());
  return visible.join('\n').trim();
}

/** Lines of the copy Embargo sends maintainers (outbound/maintainer-copies.ts). */
const COPY_LINES = /^(?:Case|Reporter|Reporter key|Protection|Received):\s{2,}\S/m;
const UNMARKED_QUOTE = [
  /^\S.*\b(?:wrote|schrieb|a écrit|escribió|scritto|escreveu)\s*:\s*$/im,
  /^-{72}$/m,
];

/**
 * Why a reply's own text may still hold what it quotes, or undefined when it looks like the
 * sender's own: a line of Embargo's maintainer copy, an attribution line with no quote marks
 * after it, or a maintainer's address. Such a mail is not relayed; the sender is told why.
 */
export function unseparatedQuote(own: string, maintainerAddresses: string[]): string | undefined {
  if (COPY_LINES.test(own) || UNMARKED_QUOTE[1]!.test(own))
    return 'it holds lines of the copy Embargo sent you, which the quote marks did not set apart';
  if (UNMARKED_QUOTE[0]!.test(own))
    return 'it holds an attribution line ("… wrote:") without quote marks after it, so where your text ends cannot be told';
  const lower = own.toLowerCase();
  const named = maintainerAddresses.find((a) => lower.includes(a.toLowerCase()));
  if (named) return `it names a maintainer's address (${named}), as a quoted header does`;
  return undefined;
}
