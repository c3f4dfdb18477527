import { EmbargoError } from '../errors';
/**
 * The security address and its `local+token@domain` reply variants. Domains compare
 * case-insensitively; local parts too, since every mail provider in practice treats them so.
 */
export interface AddressParts {
  local: string;
  domain: string;
}

export function splitAddress(address: string): AddressParts | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  return { local: address.slice(0, at).toLowerCase(), domain: address.slice(at + 1).toLowerCase() };
}

/** Which mailbox of ours an address names: the security address itself, a reply address, or neither. */
export type OwnAddress =
  { kind: 'security' } | { kind: 'reply'; token: string } | { kind: 'other' };

export function classifyOwnAddress(address: string, securityAddress: string): OwnAddress {
  const target = splitAddress(address);
  const own = splitAddress(securityAddress);
  if (!target || !own || target.domain !== own.domain) return { kind: 'other' };
  if (target.local === own.local) return { kind: 'security' };
  const prefix = `${own.local}+`;
  if (target.local.startsWith(prefix) && target.local.length > prefix.length) {
    return { kind: 'reply', token: target.local.slice(prefix.length) };
  }
  return { kind: 'other' };
}

export function isOwnAddress(address: string, securityAddress: string): boolean {
  return classifyOwnAddress(address, securityAddress).kind !== 'other';
}

export function replyAddress(securityAddress: string, token: string): string {
  const own = splitAddress(securityAddress);
  if (!own)
    throw new EmbargoError(
      'ADDRESS_INVALID',
      `The security address ${securityAddress} is not an email address.`,
      'Set securityAddress in embargo.config.json to local@domain.',
    );
  return `${own.local}+${token}@${own.domain}`;
}
