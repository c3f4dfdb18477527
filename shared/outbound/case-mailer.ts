import type { EmbargoConfig, Maintainer } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { MailCrypto } from '../pgp/mail-crypto';
import { formatUtc } from '../time/utc-text';
import { caseSubjectTag } from '../cases/case-id';
import type { CaseRecord } from '../cases/case-record';
import { appendOnce } from '../cases/case-updates';
import type { DispatchOptions, MailDispatcher } from './mail-dispatcher';
import { buildKeyProblemNotice, type KeyedMaintainer } from './maintainer-copies';
import type { CaseMail, OutboundMessage } from './outbound-message';
import { derivedMessageId } from './message-id';
import { splitAddress } from '../addresses/security-address';
import { isMailbox } from '../addresses/mailbox';

export interface CaseMailerDependencies {
  config: EmbargoConfig;
  dispatcher: MailDispatcher;
  cases: CaseRepository;
  crypto: MailCrypto;
  clock: Clock;
}

/** One line every party sees at the end of every mail: where the case stands. */
export function caseStateLine(record: CaseRecord): string {
  const date = record.disclosureAt ? formatUtc(record.disclosureAt) : 'not set';
  const resolution = record.resolution ? ` (${record.resolution})` : '';
  return `Case ${record.id}: status ${record.status}${resolution}; public disclosure date: ${date}${record.urgent ? '; urgent' : ''}.`;
}

/** Whether mail can go to the case's reporter: a From that passed the strict mailbox check. */
export function reporterReachable(record: CaseRecord): boolean {
  return !record.reporterAddressProblem && isMailbox(record.reporter.address);
}

/** The subject of a case mail: the case tag, then the text without any tags or reply prefixes. */
export function caseSubject(record: CaseRecord, text: string): string {
  const clean = text
    .replace(/\[SEC-\d{4}-\d{4,}\]/gi, '')
    .replace(/^\s*((re|fwd?|aw|sv)\s*:\s*)+/i, '')
    .trim();
  return `${caseSubjectTag(record.id)} ${clean}`.trim();
}

/**
 * Sends mail about a case to its parties, with what every case mail carries: the subject tag,
 * threading headers, a Reply-To of the plain security address (the project key's user id, so
 * that any mail client can encrypt a reply with no set-up), the case state, and encryption to
 * the recipient's key (a maintainer always; the reporter once their key is known). Replies find
 * the case by the unguessable Message-ID they answer, which the thread index records with the
 * party it was sent to (threads/thread-router.ts).
 */
export class CaseMailer {
  constructor(private readonly deps: CaseMailerDependencies) {}

  private from() {
    return {
      address: this.deps.config.securityAddress,
      name: `${this.deps.config.project} security team`,
    };
  }

  private threading(record: CaseRecord, inReplyTo?: string) {
    const references = [record.reportMessageIdHeader, inReplyTo].filter((r): r is string => !!r);
    const parent = inReplyTo ?? record.reportMessageIdHeader;
    return { ...(parent ? { inReplyTo: parent } : {}), references: [...new Set(references)] };
  }

  private async send(
    record: CaseRecord,
    message: OutboundMessage,
    options: DispatchOptions = {},
  ): Promise<void> {
    const domain = splitAddress(message.from.address)?.domain ?? 'localhost';
    await this.deps.dispatcher.dispatch(
      record.messageIdKey
        ? {
            ...message,
            messageIdHeader: derivedMessageId(record.messageIdKey, message.idempotencyKey, domain),
          }
        : message,
      options,
    );
  }

  /**
   * Sends nothing (and says so: false) when the reporter's From header was refused or the
   * address fails the mailbox check: such a case has no address to write to.
   */
  async toReporter(
    record: CaseRecord,
    mail: CaseMail,
    options: DispatchOptions = {},
  ): Promise<boolean> {
    if (!reporterReachable(record)) return false;
    await this.send(
      record,
      {
        idempotencyKey: `${record.id}/${mail.key}/reporter`,
        from: this.from(),
        to: record.reporter,
        replyTo: this.deps.config.securityAddress,
        subject: mail.subject,
        text: `${mail.text}\n\n-- \n${caseStateLine(record)}`,
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
        ...(mail.calendar ? { calendar: mail.calendar } : {}),
        ...this.threading(record, mail.inReplyTo),
        ...(mail.autoSubmitted ? { autoSubmitted: mail.autoSubmitted } : {}),
        caseId: record.id,
        party: 'reporter',
        ...(record.reporterKey ? { encryptTo: record.reporterKey.armored } : {}),
      },
      options,
    );
    return true;
  }

  /**
   * A short notice to any address (unencrypted): it must carry nothing private, so it answers
   * only the mail it names, not the report (whose Message-ID is the reporter's).
   */
  async toAddress(record: CaseRecord, address: string, mail: CaseMail): Promise<void> {
    await this.send(record, {
      idempotencyKey: `${record.id}/${mail.key}/${address.toLowerCase()}`,
      from: this.from(),
      to: { address },
      replyTo: this.deps.config.securityAddress,
      subject: mail.subject,
      text: mail.text,
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: [mail.inReplyTo] } : {}),
      autoSubmitted: mail.autoSubmitted ?? 'auto-replied',
      caseId: record.id,
    });
  }

  /**
   * Mail about a case to someone outside it (a distributor, the announce list): no threading
   * headers but to the mail it names (never the report: its Message-ID is the reporter's),
   * nobody else's address, encrypted to the recipient's key when one is given.
   */
  async toOutsider(
    record: CaseRecord,
    recipient: { address: string; name?: string },
    mail: CaseMail & { encryptTo?: string },
  ): Promise<void> {
    await this.send(record, {
      idempotencyKey: `${record.id}/${mail.key}/${recipient.address.toLowerCase()}`,
      from: this.from(),
      to: recipient,
      replyTo: this.deps.config.securityAddress,
      subject: mail.subject,
      text: mail.text,
      ...(mail.attachments ? { attachments: mail.attachments } : {}),
      ...(mail.calendar ? { calendar: mail.calendar } : {}),
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo, references: [mail.inReplyTo] } : {}),
      autoSubmitted: mail.autoSubmitted ?? 'auto-generated',
      caseId: record.id,
      ...(mail.encryptTo ? { encryptTo: mail.encryptTo } : {}),
    });
  }

  private async toMaintainer(
    record: CaseRecord,
    maintainer: KeyedMaintainer,
    mail: CaseMail,
    options: DispatchOptions,
  ): Promise<void> {
    await this.send(
      record,
      {
        idempotencyKey: `${record.id}/${mail.key}/maintainer/${maintainer.email.toLowerCase()}`,
        from: this.from(),
        to: { address: maintainer.email, name: maintainer.name },
        replyTo: this.deps.config.securityAddress,
        subject: mail.subject,
        text: `${mail.text}\n\n-- \n${caseStateLine(record)}`,
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
        ...(mail.calendar ? { calendar: mail.calendar } : {}),
        ...this.threading(record, mail.inReplyTo),
        autoSubmitted: mail.autoSubmitted ?? 'auto-generated',
        caseId: record.id,
        party: 'maintainer',
        encryptTo: maintainer.publicKeyArmored,
      },
      options,
    );
  }

  /** The configured maintainers split by whether their key can be encrypted to. */
  async maintainersByKey(): Promise<{
    keyed: KeyedMaintainer[];
    unreachable: { maintainer: Maintainer; problem: string }[];
  }> {
    const keyed: KeyedMaintainer[] = [];
    const unreachable: { maintainer: Maintainer; problem: string }[] = [];
    for (const maintainer of this.deps.config.maintainers) {
      if (!maintainer.publicKeyArmored) {
        unreachable.push({ maintainer, problem: 'no public key is configured' });
        continue;
      }
      const inspection = await this.deps.crypto.inspectKey(maintainer.publicKeyArmored);
      if (inspection.usable)
        keyed.push({ ...maintainer, publicKeyArmored: maintainer.publicKeyArmored });
      else unreachable.push({ maintainer, problem: inspection.problem });
    }
    return { keyed, unreachable };
  }

  /**
   * Sends a mail to each maintainer (but `except`), encrypted to each alone. A maintainer whose
   * key cannot be used gets nothing: the case records it and the others are told.
   * Returns the maintainers who were sent the mail.
   */
  async toMaintainers(
    record: CaseRecord,
    build: (maintainer: KeyedMaintainer) => CaseMail,
    occasion: string,
    select: { except?: string; only?: string } = {},
    options: DispatchOptions = {},
  ): Promise<KeyedMaintainer[]> {
    const { keyed, unreachable } = await this.maintainersByKey();
    const is = (a: string, b: string | undefined) =>
      b !== undefined && a.toLowerCase() === b.toLowerCase();
    const skip = (email: string) =>
      is(email, select.except) || (select.only !== undefined && !is(email, select.only));
    const recipients = keyed.filter((m) => !skip(m.email));
    const unreachableHere = unreachable.filter((u) => !skip(u.maintainer.email));
    for (const maintainer of recipients)
      await this.toMaintainer(record, maintainer, build(maintainer), options);
    for (const { maintainer, problem } of unreachableHere) {
      record = await this.deps.cases.update(
        record,
        appendOnce({
          id: `maintainer-key-unusable:${occasion}:${maintainer.email.toLowerCase()}`,
          at: this.deps.clock.now().toISOString(),
          type: 'maintainer-key-unusable',
          actor: this.deps.config.securityAddress,
          summary: `Not sent to ${maintainer.name} <${maintainer.email}>: ${problem}`,
        }),
      );
      for (const recipient of keyed) {
        const notice = buildKeyProblemNotice(record, maintainer, problem);
        await this.toMaintainer(
          record,
          recipient,
          {
            key: `key-problem/${occasion}/${maintainer.email.toLowerCase()}`,
            subject: notice.subject,
            text: notice.text,
          },
          options,
        );
      }
    }
    return recipients;
  }
}
