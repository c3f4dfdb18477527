import { domainToASCII } from 'node:url';
import { EmbargoError } from '../errors';

/**
 * The one check every address Embargo sends to must pass: a single RFC 5321 mailbox, with a
 * dot-atom or quoted local part and a domain that is a host name, IDNA-normalised (UTS #46, as
 * browsers and Node's URL parser do it). Address parsers disagree on comments, groups, quoting
 * and encoded words, so anything that needs one of those to be read is refused rather than
 * interpreted: no comments, no second `@` (not even quoted), no address literals, nothing left
 * over. RFC 5321's length limits apply: 64 octets for the local part, 254 for the address.
 */
export type MailboxCheck =
  { ok: true; address: string; local: string; domain: string } | { ok: false; reason: string };

/** RFC 5321 `atext`: letters, digits and these. */
const ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** RFC 5321 `qtextSMTP` and `quoted-pairSMTP`, less `@` (see above). */
const QUOTED = /^"(?:[\x20\x21\x23-\x3f\x41-\x5b\x5d-\x7e]|\\[\x20-\x3f\x41-\x7e])*"$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_LOCAL = 64;
const MAX_ADDRESS = 254;
const MAX_DOMAIN = 253;

const refuse = (reason: string): MailboxCheck => ({ ok: false, reason });

function checkLocal(local: string): string | undefined {
  if (!local) return 'it has nothing before the @';
  if (/[^\x20-\x7e]/.test(local))
    return 'its local part has characters outside printable ASCII (internationalised local parts are not supported)';
  if (Buffer.byteLength(local) > MAX_LOCAL) return `its local part is longer than ${MAX_LOCAL}`;
  if (local.startsWith('"')) {
    return QUOTED.test(local) ? undefined : 'its quoted local part is not a valid quoted string';
  }
  if (local.split('.').every((atom) => ATOM.test(atom))) return undefined;
  if (/[()]/.test(local)) return 'it contains a comment';
  return 'its local part is not a dot-atom (a quoted string would be needed)';
}

/** The domain in ASCII (A-labels, lower case), or why it is not a host name. */
function checkDomain(domain: string): { ascii: string } | { problem: string } {
  if (!domain) return { problem: 'it has nothing after the @' };
  if (domain.startsWith('[')) return { problem: 'its domain is an address literal' };
  // The URL parser would decode %xx and drop or map other ASCII; only letters, digits, hyphens
  // and dots (and non-ASCII for U-labels) may reach it.
  if (/[^A-Za-z0-9.\-\u0080-\u{10ffff}]/u.test(domain))
    return {
      problem: /[()]/.test(domain)
        ? 'it contains a comment'
        : 'its domain has characters a host name cannot have',
    };
  const ascii = domainToASCII(domain);
  if (!ascii) return { problem: 'its domain is not a valid internationalised domain name' };
  if (ascii.length > MAX_DOMAIN) return { problem: `its domain is longer than ${MAX_DOMAIN}` };
  const labels = ascii.split('.');
  if (labels.length < 2) return { problem: 'its domain is a single label, not a host name' };
  if (!labels.every((l) => LABEL.test(l)))
    return { problem: 'its domain has an empty label or one that starts or ends with a hyphen' };
  if (/^[0-9]+$/.test(labels[labels.length - 1]!))
    return { problem: 'its domain is an IP address, not a host name' };
  return { ascii };
}

/** Checks one address (the addr-spec alone: no display name, no angle brackets). */
export function checkMailbox(text: string): MailboxCheck {
  if (text.length > 4 * MAX_ADDRESS) return refuse('it is far too long for an address');
  const ats = text.split('@').length - 1;
  if (ats === 0) return refuse('it has no @');
  if (ats > 1) return refuse('it has more than one @');
  const at = text.indexOf('@');
  const local = text.slice(0, at);
  const problem = checkLocal(local);
  if (problem) return refuse(problem);
  const domain = checkDomain(text.slice(at + 1));
  if ('problem' in domain) return refuse(domain.problem);
  const address = `${local}@${domain.ascii}`;
  if (Buffer.byteLength(address) > MAX_ADDRESS) return refuse(`it is longer than ${MAX_ADDRESS}`);
  return { ok: true, address, local, domain: domain.ascii };
}

export function isMailbox(text: string): boolean {
  return checkMailbox(text).ok;
}

/** Two addresses name the same mailbox: the same once checked, compared case-insensitively. */
export function sameMailbox(a: string, b: string): boolean {
  const x = checkMailbox(a);
  const y = checkMailbox(b);
  return x.ok && y.ok && x.address.toLowerCase() === y.address.toLowerCase();
}

/** Refused by the dispatcher: mail is never sent to an address that fails the check. */
export class UnsafeRecipientError extends EmbargoError {
  constructor(
    readonly address: string,
    /** What the mailbox check found wrong with the address. */
    readonly problem: string,
  ) {
    super(
      'RECIPIENT_UNSAFE',
      `Refused to send mail to ${JSON.stringify(address.slice(0, 300))}: ${problem}.`,
      'Nothing was sent. Mail goes only to a single plain mailbox (local@host); correct the address where it came from.',
    );
  }
}

/** The checked form of an address Embargo is about to send to, or UnsafeRecipientError. */
export function mailboxToSendTo(address: string): string {
  const checked = checkMailbox(address);
  if (!checked.ok) throw new UnsafeRecipientError(address, checked.reason);
  return checked.address;
}
