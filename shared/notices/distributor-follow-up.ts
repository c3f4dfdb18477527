import { countOf } from '../mail/count-text';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { CaseRecord } from '../cases/case-record';
import type { ThreadIndex } from '../cases/thread-index';
import { appendOnce } from '../cases/case-updates';
import { caseSubjectTag } from '../cases/case-id';
import { applyRecipientEvent, recipientOf } from '../distributors/recipient-events';
import { recipientSummaries } from '../distributors/recipient-summary';
import type { CaseMailer } from '../outbound/case-mailer';
import { derivedMessageId } from '../outbound/message-id';
import { splitAddress } from '../addresses/security-address';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { Clock } from '../time/clock';
import type { DistributorDirectory } from './distributor-directory';
import {
  distributorReminderText,
  preDisclosureSummaryText,
  silentRecipientsText,
} from './follow-up-texts';
import { noticeRound } from './notice-round';

const DAY_MS = 86_400_000;

export interface FollowUpDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  distributors: DistributorDirectory;
  mailer: CaseMailer;
  crypto: MailCrypto;
  clock: Clock;
  /** Finds the Message-ID the distributor saw on its notice (SES's), for the reminder's thread. */
  threads?: Pick<ThreadIndex, 'sent'>;
}

export type FollowUpOutcome =
  | { kind: 'sent'; notice: 'distributor-reminder' | 'pre-disclosure'; recipients: number }
  | { kind: 'skipped'; reason: string };

/**
 * What follows the advance notice: one reminder to each recipient still silent
 * `distributorReminderDays` after it (the maintainers told who), and the summary for the
 * maintainers the day before disclosure. Both for the current notice round only (a new date
 * starts the tracking again), each mail keyed by case, round and recipient so that a repeat
 * sends nothing twice.
 */
export class DistributorFollowUp {
  constructor(private readonly deps: FollowUpDependencies) {}

  async remindSilent(record: CaseRecord): Promise<FollowUpOutcome> {
    const { config, clock, crypto, mailer } = this.deps;
    const round = noticeRound(record);
    const now = clock.now();
    const silent = recipientSummaries(record, round).filter((s) => s.silent && !s.invitationOnly);
    if (!silent.length)
      return { kind: 'skipped', reason: 'every recipient of this date has confirmed it' };
    const dueBefore = now.getTime() - config.distributorReminderDays * DAY_MS;
    const directory = await this.deps.distributors.list();
    const reminded: string[] = [];
    const notReminded: { name: string; problem: string }[] = [];
    for (const summary of silent) {
      const recipient = recipientOf(record.recipients, summary.address)!;
      if (recipient.reminded?.round === round) continue;
      if (new Date(summary.sentAt!).getTime() > dueBefore) {
        notReminded.push({ name: summary.name, problem: 'its notice is not due a reminder yet' });
        continue;
      }
      const distributor = directory.find((d) => d.email.toLowerCase() === summary.address);
      if (!distributor) {
        notReminded.push({ name: summary.name, problem: 'no longer on the distributor list' });
        continue;
      }
      const key = await crypto.inspectKey(distributor.publicKeyArmored);
      if (!key.usable) {
        notReminded.push({ name: summary.name, problem: `its key cannot be used: ${key.problem}` });
        continue;
      }
      const text = distributorReminderText({
        record,
        config,
        distributor,
        sentAt: summary.sentAt!,
      });
      const inReplyTo = await this.noticeMessageId(record, round, summary.address);
      await mailer.toOutsider(
        record,
        { address: distributor.email, name: distributor.name },
        {
          key: `distributor-reminder/${round}`,
          subject: `${caseSubjectTag(record.id)} ${text.subject}`,
          text: text.text,
          ...(inReplyTo ? { inReplyTo } : {}),
          encryptTo: distributor.publicKeyArmored,
        },
      );
      const at = clock.now().toISOString();
      record = await this.deps.cases.update(record.id, (current) => {
        const once = appendOnce({
          id: `distributor-reminder:${round}:${summary.address}`,
          at,
          type: 'reminder',
          actor: config.securityAddress,
          summary: `${summary.name} reminded to confirm the advance notice (silent for ${countOf(config.distributorReminderDays, 'day')})`,
          authentication: { method: 'system' },
        })(current);
        if (!once) return undefined;
        const recipients = applyRecipientEvent(
          current.recipients,
          { email: summary.address, name: summary.name },
          { kind: 'reminded', at, round },
        );
        return { ...once, fields: { recipients } };
      });
      reminded.push(summary.name);
    }
    const text = silentRecipientsText({
      record,
      silent,
      reminded,
      notReminded,
      reminderDays: config.distributorReminderDays,
    });
    await mailer.toMaintainers(
      record,
      () => ({
        key: `silent/${round}`,
        subject: `${caseSubjectTag(record.id)} ${text.subject}`,
        text: text.text,
      }),
      `silent/${round}`,
    );
    return { kind: 'sent', notice: 'distributor-reminder', recipients: reminded.length };
  }

  async summarize(record: CaseRecord): Promise<FollowUpOutcome> {
    const { config, clock, mailer, cases } = this.deps;
    const round = noticeRound(record);
    const summaries = recipientSummaries(record, round);
    const text = preDisclosureSummaryText({ record, summaries });
    const sent = await mailer.toMaintainers(
      record,
      () => ({
        key: `pre-disclosure/${round}`,
        subject: `${caseSubjectTag(record.id)} ${text.subject}`,
        text: text.text,
      }),
      `pre-disclosure/${round}`,
    );
    await cases.update(
      record.id,
      appendOnce({
        id: `pre-disclosure-summary:${round}`,
        at: clock.now().toISOString(),
        type: 'reminder',
        actor: config.securityAddress,
        summary: `Maintainers sent the summary before disclosure: ${text.subject}`,
        authentication: { method: 'system' },
      }),
    );
    return { kind: 'sent', notice: 'pre-disclosure', recipients: sent.length };
  }

  /** The Message-ID of the notice this recipient got in this round, as it saw it. */
  private async noticeMessageId(
    record: CaseRecord,
    round: string,
    address: string,
  ): Promise<string | undefined> {
    if (!record.messageIdKey) return undefined;
    const domain = splitAddress(this.deps.config.securityAddress)?.domain ?? 'localhost';
    // The idempotency key CaseMailer.toOutsider gave the notice (notice-service.ts).
    const ours = derivedMessageId(
      record.messageIdKey,
      `${record.id}/advance/${round}/${address}`,
      domain,
    );
    const sent = await this.deps.threads?.sent(ours);
    return sent?.deliveredAs ?? ours;
  }
}
