import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { ReplyParty, ThreadIndex } from '../cases/thread-index';
import { parseCaseId, type CaseId } from '../cases/case-id';
import type { CaseRecord } from '../cases/case-record';
import { senderOf, type InboundMail, type MailDelivery } from '../mail/inbound-mail';
import { caseOfReplyToken, isLegacyReplyToken, sameToken } from './reply-token';
import { classifyOwnAddress } from '../addresses/security-address';

export type Role = 'reporter' | 'maintainer' | 'other';

export interface ThreadMatch {
  record: CaseRecord;
  role: Role;
  /**
   * How the case was found. 'references': In-Reply-To/References name a mail Embargo sent to
   * this very sender as this party (an unguessable Message-ID, as good as a reply token).
   * 'unverified-reference': they name mail of the case that went to someone else, or that was
   * sent before recipients were recorded; trusted no more than the subject tag.
   */
  via: 'reply-token' | 'references' | 'unverified-reference' | 'subject-tag';
  /** Set when the role is maintainer. */
  maintainer?: Maintainer;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Finds the case an inbound mail belongs to, in order: the reply token in a recipient address
 * (which names its case, and counts only if that case issued it; tokens are no longer issued,
 * but those in old mail still work); In-Reply-To/References naming mail Embargo sent, which
 * authenticate the sender only as the party that mail went to, and only from its address; the
 * subject tag, but only from a sender who is already a party of that case. A forged tag from
 * anyone else opens a new case instead. Inbound Message-IDs (chosen by their senders) are never
 * in the thread index, so they authenticate nobody.
 */
export class ThreadRouter {
  constructor(
    private readonly config: EmbargoConfig,
    private readonly cases: CaseRepository,
    private readonly threads: ThreadIndex,
  ) {}

  private maintainerFor(address: string): Maintainer | undefined {
    return this.config.maintainers.find((m) => same(m.email, address));
  }

  private roleOf(record: CaseRecord, sender: string): { role: Role; maintainer?: Maintainer } {
    const maintainer = this.maintainerFor(sender);
    if (maintainer) return { role: 'maintainer', maintainer };
    if (same(record.reporter.address, sender)) return { role: 'reporter' };
    return { role: 'other' };
  }

  /** The case and party a reply token belongs to, if it is one that the case issued. */
  private async byReplyToken(
    token: string,
  ): Promise<{ party: ReplyParty; record: CaseRecord } | undefined> {
    if (isLegacyReplyToken(token)) {
      const party = await this.threads.findByLegacyReplyToken(token);
      const record = party && (await this.cases.get(party.caseId));
      return party && record ? { party, record } : undefined;
    }
    const caseId = caseOfReplyToken(token);
    const record = caseId && (await this.cases.get(caseId));
    if (!record) return undefined;
    if (sameToken(token, record.reporterReplyToken))
      return { party: { caseId: record.id, party: 'reporter' }, record };
    for (const [address, issued] of Object.entries(record.maintainerReplyTokens ?? {})) {
      if (sameToken(token, issued))
        return { party: { caseId: record.id, party: 'maintainer', address }, record };
    }
    return undefined;
  }

  /**
   * The case of the mail Embargo sent that this one cites. The sender is that mail's party only
   * if it went to the sender's own address as that party; otherwise the role follows the From
   * line alone, as with the subject tag, and a maintainer's unsigned text is not relayed.
   */
  private async byReference(
    referenced: string[],
    sender: string,
  ): Promise<ThreadMatch | undefined> {
    const sent = await this.threads.findSent(referenced);
    const records = new Map<CaseId, Promise<CaseRecord | undefined>>();
    const recordOf = (id: CaseId) => {
      if (!records.has(id)) records.set(id, this.cases.get(id));
      return records.get(id)!;
    };
    // Mail that went to the sender's own address first, then the rest, newest first.
    const toSender = sent.filter((m) => m.sentTo && same(m.sentTo.address, sender));
    for (const mail of [...toSender, ...sent.filter((m) => !toSender.includes(m))]) {
      const record = await recordOf(mail.caseId);
      if (!record) continue;
      const { role, maintainer } = this.roleOf(record, sender);
      // Sent to this address as the party the sender still is (a maintainer still configured).
      const verified =
        !!mail.sentTo && same(mail.sentTo.address, sender) && mail.sentTo.party === role;
      // Otherwise, as with the subject tag, the From line alone; a stranger who cites a case
      // mail (the public notice, say) reaches the maintainers as a non-party, never as a party.
      return {
        record,
        role,
        via: verified ? 'references' : 'unverified-reference',
        ...(maintainer ? { maintainer } : {}),
      };
    }
    return undefined;
  }

  async resolve(delivery: MailDelivery, mail: InboundMail): Promise<ThreadMatch | undefined> {
    const sender = senderOf(mail, delivery);

    for (const recipient of delivery.recipients) {
      const own = classifyOwnAddress(recipient, this.config.securityAddress);
      if (own.kind !== 'reply') continue;
      const found = await this.byReplyToken(own.token);
      if (!found) continue;
      const { party, record } = found;
      if (party.party === 'reporter') return { record, role: 'reporter', via: 'reply-token' };
      // A maintainer's token counts as that maintainer only in mail from their own address.
      const maintainer = same(party.address, sender) ? this.maintainerFor(sender) : undefined;
      return maintainer
        ? { record, role: 'maintainer', maintainer, via: 'reply-token' }
        : { record, role: 'other', via: 'reply-token' };
    }

    const referenced = [...mail.references, ...(mail.inReplyTo ? [mail.inReplyTo] : [])];
    const byReference = await this.byReference(referenced, sender);
    if (byReference) return byReference;

    const tagged = /\[(SEC-\d{4}-\d{4,})\]/i.exec(mail.subject)?.[1];
    const caseId: CaseId | undefined = tagged ? parseCaseId(tagged) : undefined;
    const taggedRecord = caseId && (await this.cases.get(caseId));
    if (taggedRecord) {
      const { role, maintainer } = this.roleOf(taggedRecord, sender);
      if (role !== 'other')
        return {
          record: taggedRecord,
          role,
          via: 'subject-tag',
          ...(maintainer ? { maintainer } : {}),
        };
    }
    return undefined;
  }
}
