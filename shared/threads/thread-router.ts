import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { ReplyParty, ThreadIndex } from '../cases/thread-index';
import { parseCaseId, type CaseId } from '../cases/case-id';
import type { CaseRecord } from '../cases/case-record';
import { senderOf, type InboundMail, type MailDelivery } from '../mail/inbound-mail';
import { caseOfReplyToken, isLegacyReplyToken, sameToken } from './reply-token';
import { classifyOwnAddress } from '../addresses/security-address';
import type { Distributor, DistributorDirectory } from '../notices/distributor-directory';
import { recipientOf } from '../distributors/recipient-events';

export type Role = 'reporter' | 'maintainer' | 'distributor' | 'other';

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
  /** Set when the role is distributor: a distributor on the list that the case was sent to. */
  distributor?: Distributor;
}

interface Party {
  role: Role;
  maintainer?: Maintainer;
  distributor?: Distributor;
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
    /** The private list: mail from a distributor the case went to is that distributor's. */
    private readonly distributors?: Pick<DistributorDirectory, 'list'>,
  ) {}

  private maintainerFor(address: string): Maintainer | undefined {
    return this.config.maintainers.find((m) => same(m.email, address));
  }

  private async roleOf(record: CaseRecord, sender: string): Promise<Party> {
    const maintainer = this.maintainerFor(sender);
    if (maintainer) return { role: 'maintainer', maintainer };
    if (same(record.reporter.address, sender)) return { role: 'reporter' };
    // A distributor is a party only of the cases it was told of, and only while on the list.
    if (this.distributors && recipientOf(record.recipients, sender)) {
      const distributor = (await this.distributors.list()).find((d) => same(d.email, sender));
      if (distributor) return { role: 'distributor', distributor };
    }
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
      const party = await this.roleOf(record, sender);
      const { role } = party;
      // Sent to this address as the party the sender still is (a maintainer still configured);
      // a distributor's notice went to it as someone outside the case.
      const sentAs = role === 'distributor' ? 'other' : role;
      const verified =
        !!mail.sentTo && same(mail.sentTo.address, sender) && mail.sentTo.party === sentAs;
      // Otherwise, as with the subject tag, the From line alone; a stranger who cites a case
      // mail (the public notice, say) reaches the maintainers as a non-party, never as a party.
      return {
        record,
        via: verified ? 'references' : 'unverified-reference',
        ...withParty(party),
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
      const party = await this.roleOf(taggedRecord, sender);
      if (party.role !== 'other')
        return { record: taggedRecord, via: 'subject-tag', ...withParty(party) };
    }
    return undefined;
  }
}

function withParty({ role, maintainer, distributor }: Party) {
  return { role, ...(maintainer ? { maintainer } : {}), ...(distributor ? { distributor } : {}) };
}
