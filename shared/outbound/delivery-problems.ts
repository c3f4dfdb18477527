import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { Logger } from '../logging/logger';
import type { ThreadIndex } from '../cases/thread-index';
import { formatUtc } from '../time/utc-text';
import type { CaseId } from '../cases/case-id';
import { caseSubject, type CaseMailer } from './case-mailer';
import type { CaseMail } from './outbound-message';
import type { CaseRecord } from '../cases/case-record';
import { appendOnce, hasEvent } from '../cases/case-updates';
import { singleLine } from '../mail/single-line';

export type DeliveryProblemKind = 'bounce' | 'complaint' | 'reject' | 'delay';

/**
 * SES could not deliver (or a recipient complained about) a mail Embargo sent. Built from SES's
 * event notification, which carries the mail's headers but never its content.
 */
export interface DeliveryProblem {
  kind: DeliveryProblemKind;
  /**
   * Names the SES notification (its feedback id, or the SES message id where there is none), so
   * that the same notification delivered again is recognised.
   */
  notificationId: string;
  /** The addresses the problem concerns. */
  recipients: string[];
  /** The Message-ID header of the mail Embargo sent, which the thread index knows. */
  messageIdHeader?: string;
  /**
   * The Message-ID SES gave the mail (its `mail.messageId`, as recipients saw it): the thread
   * index records that one too, should SES's event show the replaced header.
   */
  sesMessageIdHeader?: string;
  /** SES's classification: bounce type (`Permanent`, `Transient`, …), complaint or delay type. */
  bounceType?: string;
  bounceSubType?: string;
  /** What the receiving server or SES said, per recipient, as SES reported it. */
  diagnostic?: string;
  /** When SES saw the problem (ISO 8601). */
  at: string;
}

export type DeliveryProblemOutcome =
  | { kind: 'recorded'; caseId: CaseId; told: string[] }
  | { kind: 'duplicate'; caseId: CaseId }
  | { kind: 'ignored'; reason: string };

export interface DeliveryProblemDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  threads: ThreadIndex;
  mailer: CaseMailer;
  clock: Clock;
  log: Logger;
}

const KIND_TEXT: Record<DeliveryProblemKind, { subject: string; verb: string }> = {
  bounce: { subject: 'Mail bounced', verb: 'bounced' },
  complaint: { subject: 'A recipient reported mail as spam', verb: 'drew a complaint' },
  reject: { subject: 'SES refused to send mail', verb: 'was rejected by SES' },
  delay: { subject: 'Mail delivery is delayed', verb: 'is delayed' },
};

/** Longest diagnostic kept: remote servers write what they like. */
const MAX_DIAGNOSTIC = 500;

/** Untrusted text from a remote server, made safe for a case history and a mail body. */
function clean(text: string, max = MAX_DIAGNOSTIC): string {
  return singleLine(text, max);
}

const lower = (address: string) => address.trim().toLowerCase();

/**
 * Records a bounce, complaint, rejection or delay of a mail Embargo sent on the case the mail
 * belonged to (found by its Message-ID), and tells the maintainers what failed for whom, encrypted
 * to each as every maintainer mail is. Mail that belongs to no case is logged and ignored.
 *
 * Safe to run again for the same notification (SNS and Lambda deliver at least once): the event
 * id and the mail keys come from the notification. A maintainer whose address has the problem is
 * not sent the notice about it, and the others are told about that maintainer's address once per
 * case and kind, so that two maintainers with broken addresses cannot bounce notices about each
 * other back and forth.
 */
export class DeliveryProblemService {
  constructor(private readonly deps: DeliveryProblemDependencies) {}

  async record(problem: DeliveryProblem): Promise<DeliveryProblemOutcome> {
    const { cases, threads, log } = this.deps;
    const meta = {
      kind: problem.kind,
      notificationId: problem.notificationId,
      recipients: problem.recipients,
    };
    const named = [problem.sesMessageIdHeader, problem.messageIdHeader].filter(
      (id): id is string => !!id,
    );
    if (!named.length) {
      log.warn('delivery-problem.unmatched', { ...meta, reason: 'the mail has no Message-ID' });
      return { kind: 'ignored', reason: 'the mail has no Message-ID' };
    }
    const caseId = (await threads.findSent(named))[0]?.caseId;
    const record = caseId ? await cases.get(caseId) : undefined;
    if (!caseId || !record) {
      // Not mail Embargo sent about a case (or SES replaced its Message-ID): nothing to record.
      log.warn('delivery-problem.unmatched', {
        ...meta,
        messageIdHeader: problem.messageIdHeader,
        reason: 'no case sent mail with this Message-ID',
      });
      return { kind: 'ignored', reason: 'no case sent mail with this Message-ID' };
    }

    const eventId = `delivery-problem:${problem.notificationId}`;
    const duplicate = hasEvent(record, eventId);
    const updated = await cases.update(
      record.id,
      appendOnce({
        id: eventId,
        at: problem.at,
        type: 'delivery-problem',
        actor: this.deps.config.securityAddress,
        summary: this.summary(record, problem),
        authentication: { method: 'system' },
      }),
    );
    // Told again on a retry too: the mails are keyed, so only those not sent yet go out.
    const told = await this.tellMaintainers(updated, problem);
    log.info('delivery-problem.recorded', {
      ...meta,
      caseId: record.id,
      duplicate,
      told: told.length,
    });
    return duplicate
      ? { kind: 'duplicate', caseId: record.id }
      : { kind: 'recorded', caseId: record.id, told };
  }

  /** Who an address is to this case, for the maintainers' notice. */
  private roleOf(record: CaseRecord, address: string): string {
    const { config } = this.deps;
    const maintainer = config.maintainers.find((m) => lower(m.email) === lower(address));
    if (maintainer) return `maintainer ${maintainer.name}`;
    if (lower(record.reporter.address) === lower(address)) return 'the reporter';
    if (lower(config.announceAddress) === lower(address)) return 'the announce list';
    return 'a distributor or other recipient';
  }

  private classification(problem: DeliveryProblem): string {
    const parts = [problem.bounceType, problem.bounceSubType].filter((p): p is string => !!p);
    return parts.length ? ` (${parts.map((p) => clean(p, 60)).join(', ')})` : '';
  }

  private summary(record: CaseRecord, problem: DeliveryProblem): string {
    const whom = problem.recipients
      .map((r) => `${clean(r, 254)} (${this.roleOf(record, r)})`)
      .join(', ');
    const diagnostic = problem.diagnostic ? `: ${clean(problem.diagnostic)}` : '';
    return `Mail to ${whom || 'an unnamed recipient'} ${KIND_TEXT[problem.kind].verb}${this.classification(problem)}${diagnostic}`;
  }

  private advice(record: CaseRecord, problem: DeliveryProblem): string[] {
    const roles = problem.recipients.map((r) => this.roleOf(record, r));
    const lines: string[] = [];
    if (problem.kind === 'bounce') {
      lines.push(
        problem.bounceType === 'Permanent'
          ? 'The receiving side refused the mail for good; SES may add the address to the account suppression list, so later mail to it is not sent either.'
          : 'SES gave up after retrying for a while; the mailbox may be full or the server down.',
      );
    } else if (problem.kind === 'complaint') {
      lines.push(
        'The recipient (or their provider) marked the mail as spam. SES counts complaints against the account; do not send them more than the case needs.',
      );
    } else if (problem.kind === 'reject') {
      lines.push('SES did not send the mail at all (it found a virus in it).');
    } else {
      lines.push(
        'SES is still trying to deliver it. If it gives up, you will get a bounce notice for it.',
      );
    }
    if (roles.includes('the reporter')) {
      lines.push(
        'The reporter may not know the state of their report: reach them another way if you can.',
      );
    }
    if (roles.some((r) => r.startsWith('maintainer '))) {
      lines.push(
        'A maintainer address is affected: it was not sent this notice. Fix the address in embargo.config.json and deploy again.',
      );
    }
    return lines;
  }

  private notice(record: CaseRecord, problem: DeliveryProblem, key: string): CaseMail {
    const text = KIND_TEXT[problem.kind];
    const recipients = problem.recipients.length
      ? problem.recipients.map((r) => `  ${clean(r, 254)} (${this.roleOf(record, r)})`)
      : ['  (SES named no recipient)'];
    return {
      key,
      // The subject travels in the clear, outside the encryption: no addresses in it.
      subject: caseSubject(record, text.subject),
      text: [
        `A mail Embargo sent about ${record.id} ${text.verb}${this.classification(problem)}.`,
        '',
        'Recipients:',
        ...recipients,
        ...(problem.diagnostic ? ['', `Diagnostic:  ${clean(problem.diagnostic)}`] : []),
        `When:        ${formatUtc(problem.at)}`,
        // Not the mail's Message-ID: it went to someone else, and citing it would make a
        // maintainer's reply count as that party's (threads/thread-router.ts).
        '',
        ...this.advice(record, problem),
      ].join('\n'),
      autoSubmitted: 'auto-generated',
    };
  }

  /**
   * Sends the notice to every maintainer but those whose address has the problem. Returns the
   * addresses it went to (or would have: mails already sent are not sent again).
   */
  private async tellMaintainers(record: CaseRecord, problem: DeliveryProblem): Promise<string[]> {
    const { mailer, config } = this.deps;
    const affected = new Set(problem.recipients.map(lower));
    const affectedMaintainers = config.maintainers
      .map((m) => lower(m.email))
      .filter((email) => affected.has(email))
      .sort();
    // About a maintainer's address, once per case and kind (the mail key says so): otherwise a
    // notice about one broken maintainer address that bounces at another would be told back.
    const key = affectedMaintainers.length
      ? `delivery-problem/${problem.kind}/${affectedMaintainers.join(',')}`
      : `delivery-problem/${problem.notificationId}`;
    const build = () => this.notice(record, problem, key);
    if (!affectedMaintainers.length) {
      const sent = await mailer.toMaintainers(record, build, key);
      return sent.map((m) => m.email);
    }
    // Each of the others alone, so that nothing about this occasion goes to an affected address
    // (CaseMailer's notice about unusable keys would go to every keyed maintainer).
    const { keyed } = await mailer.maintainersByKey();
    const told: string[] = [];
    for (const maintainer of keyed.filter((m) => !affected.has(lower(m.email)))) {
      await mailer.toMaintainers(record, build, key, { only: maintainer.email });
      told.push(maintainer.email);
    }
    if (!told.length) {
      this.deps.log.warn('delivery-problem.nobody-to-tell', {
        caseId: record.id,
        kind: problem.kind,
        notificationId: problem.notificationId,
      });
    }
    return told;
  }
}
