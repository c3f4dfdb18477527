import type { EmbargoConfig } from '../config/embargo-config';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { Distributor } from '../notices/distributor-directory';
import type { InboundMail, MailDelivery } from '../mail/inbound-mail';
import type { ReportContent } from '../reports/report-content';
import { singleLine } from '../mail/single-line';
import { checkMailbox, sameMailbox } from './mailbox';
import { isOwnAddress } from './security-address';

/** What maintainers are told about who a mail is from, and whether its keys may be recorded. */
export interface SenderCheck {
  /** One line each, shown in the maintainers' copy and recorded on the case. */
  warnings: SenderWarning[];
  /**
   * Keys offered in this mail are never recorded as the reporter's: the sender's address belongs
   * to a maintainer, a distributor or the project, or the From header was refused.
   */
  keysRefused: boolean;
}

export interface SenderWarning {
  kind: 'from-refused' | 'envelope-differs' | 'impersonation' | 'replayed-ciphertext';
  text: string;
}

/** A mailbox whose key Embargo already knows: nobody's mail may offer another key for it. */
interface ProtectedParty {
  address: string;
  role: string;
  /** The key registered for it, if any: offering that very key is no attack. */
  fingerprint?: string;
}

export interface SenderCheckInput {
  config: EmbargoConfig;
  crypto: MailCrypto;
  /** Read only when the mail offers a key. */
  distributors: () => Promise<Distributor[]>;
  mail: InboundMail;
  delivery: MailDelivery;
  content: ReportContent;
}

async function protectedParties(input: SenderCheckInput): Promise<ProtectedParty[]> {
  const { config, crypto } = input;
  const parties: ProtectedParty[] = [];
  for (const m of config.maintainers) {
    const inspected = m.publicKeyArmored ? await crypto.inspectKey(m.publicKeyArmored) : undefined;
    parties.push({
      address: m.email,
      role: `maintainer ${m.name}`,
      ...(inspected?.usable ? { fingerprint: inspected.fingerprint } : {}),
    });
  }
  for (const d of await input.distributors())
    parties.push({ address: d.email, role: 'a distributor', fingerprint: d.fingerprint });
  const project = await crypto.projectFingerprint().catch(() => undefined);
  for (const address of [config.securityAddress, config.announceAddress])
    parties.push({ address, role: 'the project', ...(project ? { fingerprint: project } : {}) });
  return parties;
}

/** The addresses a key's user ids name: `Name <addr>` or a bare address. */
function userIdAddresses(userIds: string[]): string[] {
  return userIds.map((uid) => /<([^<>]*)>\s*$/.exec(uid)?.[1] ?? uid.trim());
}

function partyOf(
  parties: ProtectedParty[],
  address: string,
  config: EmbargoConfig,
): ProtectedParty | undefined {
  const found = parties.find((p) => sameMailbox(p.address, address));
  if (found) return found;
  // The security address's reply variants (local+token@domain) are the project's too.
  if (checkMailbox(address).ok && isOwnAddress(address, config.securityAddress))
    return parties.find((p) => sameMailbox(p.address, config.securityAddress));
  return undefined;
}

/**
 * Checks who a received mail claims to be from: a refused From header, a From mailbox that is
 * not the envelope sender, and keys offered for a maintainer's, a distributor's or the
 * project's address (an impersonation attempt: such a key is never recorded).
 */
export async function checkSender(input: SenderCheckInput): Promise<SenderCheck> {
  const { mail, delivery, content, config } = input;
  const warnings: SenderWarning[] = [];
  const envelope = singleLine(delivery.envelopeFrom, 200) || '(empty)';
  if (mail.fromRefused) {
    warnings.push({
      kind: 'from-refused',
      text: `From header refused: ${mail.fromRefused.reason}. It reads: ${mail.fromRefused.text} (envelope sender: ${envelope}). Nothing is sent to this sender.`,
    });
  } else if (mail.from && !sameMailbox(mail.from.address, delivery.envelopeFrom)) {
    warnings.push({
      kind: 'envelope-differs',
      text: `From ${mail.from.address} is not the envelope sender ${envelope}: mailing lists and forwarders do this, and so do forgers.`,
    });
  }
  let keysRefused = !!mail.fromRefused;
  if (!content.offeredKeys.length) return { warnings, keysRefused };

  const parties = await protectedParties(input);
  const sender = mail.from ? partyOf(parties, mail.from.address, config) : undefined;
  if (sender) keysRefused = true;
  for (const armored of content.offeredKeys) {
    const inspection = await input.crypto.inspectKey(armored);
    const fingerprint = inspection.usable ? inspection.fingerprint : undefined;
    const named = inspection.usable ? userIdAddresses(inspection.userIds) : [];
    const claimed = [
      ...(sender ? [sender] : []),
      ...named.flatMap((a) => partyOf(parties, a, config) ?? []),
    ].filter((p) => !fingerprint || p.fingerprint !== fingerprint);
    for (const party of new Set(claimed)) {
      warnings.push({
        kind: 'impersonation',
        text: `Impersonation attempt: this mail offers ${fingerprint ? `key ${fingerprint}` : 'a key'} for ${party.address}, the address of ${party.role}. It was not recorded as anyone's key.`,
      });
    }
  }
  const texts = new Set<string>();
  const unique = warnings.filter((w) => !texts.has(w.text) && texts.add(w.text));
  return { warnings: unique, keysRefused };
}
