import { checkMailbox, type MailboxCheck } from './mailbox';

/**
 * The mailbox of a From header, read strictly: `addr-spec` alone, or a display name and one
 * `<addr-spec>`, with nothing after it. Comments, groups, routes, several addresses and an
 * unquoted `@` in the display name are refused: each is a place where parsers have read one
 * header as different addresses (and sent mail to another domain), so none is interpreted.
 * Display names may be quoted strings or encoded words; the address itself must pass
 * checkMailbox.
 */
export function checkFromHeader(value: string): MailboxCheck {
  const refuse = (reason: string): MailboxCheck => ({ ok: false, reason });
  const text = value.replace(/\r?\n(?=[ \t])/g, '');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(text))
    return refuse('the From header has control characters');
  const opens: number[] = [];
  const closes: number[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '(' || ch === ')') return refuse('the From header contains a comment');
    else if (ch === ',') return refuse('the From header names more than one address');
    else if (ch === ':' || ch === ';') return refuse('the From header uses group or route syntax');
    else if (ch === '<') opens.push(i);
    else if (ch === '>') closes.push(i);
  }
  if (quoted) return refuse('the From header has an unterminated quoted string');
  if (!opens.length && !closes.length) {
    const bare = text.trim();
    if (!bare) return refuse('the From header is empty');
    return prefixed(checkMailbox(bare));
  }
  const [open] = opens;
  const [close] = closes;
  if (opens.length !== 1 || closes.length !== 1 || open === undefined || close === undefined)
    return refuse('the From header has more than one pair of angle brackets');
  if (close < open) return refuse('the From header has its angle brackets the wrong way round');
  if (text.slice(close + 1).trim()) return refuse('the From header has text after the address');
  if (unquotedAt(text.slice(0, open)))
    return refuse('the display name of the From header has an unquoted @');
  return prefixed(checkMailbox(text.slice(open + 1, close)));
}

function unquotedAt(phrase: string): boolean {
  return phrase.replace(/"(?:[^"\\]|\\.)*"/g, '').includes('@');
}

function prefixed(check: MailboxCheck): MailboxCheck {
  return check.ok
    ? check
    : { ok: false, reason: `the From address is not a plain mailbox (${check.reason})` };
}
