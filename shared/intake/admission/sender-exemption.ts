import type { EmbargoConfig } from '../../config/embargo-config';
import type { InboundMail, MailDelivery } from '../../mail/inbound-mail';
import { splitAddress } from '../../addresses/security-address';

/** Whether a mail skips the admission check as from an exempt sender, and why not if it does not. */
export type SenderExemption =
  { exempt: true; entry: string } | { exempt: false; entry?: string; reason?: string };

/** The exempt entry the From address falls under: the address itself, or its domain. */
function matchingEntry(config: EmbargoConfig, address: string): string | undefined {
  const lower = address.toLowerCase();
  const domain = splitAddress(lower)?.domain;
  return config.flood.exemptSenders
    .map((entry) => entry.toLowerCase())
    .find((entry) => entry === lower || (!entry.includes('@') && entry === domain));
}

/**
 * A configured exempt sender (`flood.exemptSenders`) is never counted, but only when the mail
 * proves it is theirs: the checked From address matches an entry and the receiving service
 * found the From domain's DMARC aligned and passing (SPF or DKIM for that very domain). A From
 * line alone is anyone's to write; without DMARC PASS (a forgery, a domain that publishes no
 * DMARC policy, or local mode, which has no verdicts) the mail is counted like any other.
 * DMARC authenticates the domain, not the person: an address entry trusts the domain's own
 * mail system to keep its users from sending as each other.
 */
export function senderExemption(
  config: EmbargoConfig,
  mail: InboundMail,
  delivery: MailDelivery,
): SenderExemption {
  if (!config.flood.exemptSenders.length || !mail.from) return { exempt: false };
  const entry = matchingEntry(config, mail.from.address);
  if (!entry) return { exempt: false };
  if (delivery.verdicts.dmarc !== 'PASS')
    return {
      exempt: false,
      entry,
      reason: `DMARC ${delivery.verdicts.dmarc}, not PASS: the From line is not proven to be the exempt sender's`,
    };
  return { exempt: true, entry };
}
