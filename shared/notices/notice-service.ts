import { countOf } from '../mail/count-text';
import { wrapParagraph } from '../mail/wrapped-text';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseFiles } from '../cases/case-files';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { Distributor, DistributorDirectory } from './distributor-directory';
import type { Logger } from '../logging/logger';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { NoticeHolds } from './notice-holds';
import type { NoticeTrigger } from './notice-scheduler';
import { formatUtc } from '../time/utc-text';
import type { GhsaService } from '../github-advisory/ghsa-service';
import type { OsvPublication } from '../github-advisory/osv-publication';
import type { CsafPublication } from '../github-advisory/csaf-publication';
import { advisoryRecord, recordFormats } from './advisory-records';
import { caseSubjectTag } from '../cases/case-id';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { CaseRecord, CaseUpdate, PatchFile } from '../cases/case-record';
import { appendOnce, hasEvent } from '../cases/case-updates';
import { NoticeInProgressError } from '../errors';
import { whileHeld, type WorkHold } from '../time/invocation-hold';
import {
  advanceNoticeText,
  invitationText,
  disclosureChecklistText,
  notifiedSummaryText,
  patchesLeftOutForMaintainers,
  patchesLeftOutText,
  publicNoticeText,
  reporterDateText,
} from './notice-texts';
import type { ReportAttachment } from '../reports/report-content';
import { partitionForMail } from '../outbound/oversized-attachments';
import { caseInvite } from './calendar-invite';
import { ossReminderAt, ossReminderText } from './oss-reminder';
import { ossSecurityPostText } from './oss-security-post';
import { noticeRound, toldCurrentDate } from './notice-round';
import { DistributorFollowUp } from './distributor-follow-up';
import type { ThreadIndex } from '../cases/thread-index';
import { caseRecipients } from '../distributors/recipient-selection';
import {
  applyRecipientEvent,
  recipientOf,
  type RecipientEvent,
  type RecipientRef,
} from '../distributors/recipient-events';
import { consentStep, invitationClosesAt } from '../distributors/consent-step';
import { publicDistributorStatements } from '../distributors/distributor-statements';

export type NoticeOutcome =
  | { kind: 'sent'; notice: NoticeTrigger['kind']; recipients: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'blocked'; reason: string };

export interface NoticeDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  distributors: DistributorDirectory;
  mailer: CaseMailer;
  crypto: MailCrypto;
  files: CaseFiles;
  holds: NoticeHolds;
  clock: Clock;
  log: Logger;
  /** Publishes the case's GitHub advisory after the public notice (absent without `github`). */
  github?: Pick<GhsaService, 'publish'>;
  /** Commits the OSV record where OSV.dev imports it, after the public notice (with `osv`). */
  osv?: Pick<OsvPublication, 'publish'>;
  /** Publishes the CSAF document in the provider directory, after the public notice (`csaf`). */
  csaf?: Pick<CsafPublication, 'publish'>;
  /** Where the reminder finds the notice it answers (threads the reminder under it). */
  threads?: Pick<ThreadIndex, 'sent'>;
}

/** How long a run holds its notice when the invoker sets no deadline: the notices timeout. */
const DEFAULT_HOLD_MS = 5 * 60_000;

export interface FireOptions {
  /** When the invoker stops this run (Lambda's timeout); it holds the notice until then. */
  deadline?: Date;
}

/**
 * Sends a case's scheduled notices. Safe to run twice for the same trigger (schedulers deliver
 * at least once): every mail is keyed by case, notice, disclosure date and recipient, and a
 * trigger for a date the case no longer has does nothing.
 */
export class NoticeService {
  constructor(private readonly deps: NoticeDependencies) {}

  async fire(trigger: NoticeTrigger, options: FireOptions = {}): Promise<NoticeOutcome> {
    const { holds, clock } = this.deps;
    const notice = `${trigger.caseId}/${trigger.kind}/${trigger.disclosureAt}`;
    const hold: WorkHold<void> = {
      take: async (holder, now, until) => {
        const heldUntil = await holds.take(notice, holder, now, until);
        if (heldUntil) throw new NoticeInProgressError(notice, heldUntil);
      },
      release: (holder) => holds.release(notice, holder),
    };
    return whileHeld(
      hold,
      // Released after success too: a repeat then finds every mail sent and sends nothing.
      {
        now: clock.now(),
        deadline: options.deadline,
        defaultMs: DEFAULT_HOLD_MS,
        releaseAfterSuccess: true,
      },
      () => this.send(trigger),
    );
  }

  private async send(trigger: NoticeTrigger): Promise<NoticeOutcome> {
    const { cases, log } = this.deps;
    const record = await cases.get(trigger.caseId);
    const skip = (reason: string): NoticeOutcome => {
      log.info('notice.skipped', { ...trigger, reason });
      return { kind: 'skipped', reason };
    };
    if (!record) return skip('there is no such case');
    // The reminder about exploits concerns what is public already, closed case or not.
    if (record.status === 'closed' && trigger.kind !== 'oss-reminder')
      return skip('the case is closed');
    if (record.disclosureAt !== trigger.disclosureAt)
      return skip('the disclosure date has changed since this was scheduled');
    if (trigger.kind === 'distributor-reminder' || trigger.kind === 'pre-disclosure') {
      if (record.disclosedAt) return skip('the case is disclosed');
      const followUp = new DistributorFollowUp(this.deps);
      const outcome =
        trigger.kind === 'pre-disclosure'
          ? await followUp.summarize(record)
          : await followUp.remindSilent(record);
      log.info('notice.outcome', { ...trigger, ...outcome });
      return outcome;
    }
    const outcome =
      trigger.kind === 'advance'
        ? await this.advance(record)
        : trigger.kind === 'disclosure'
          ? await this.disclosure(record)
          : await this.ossReminder(record);
    log.info('notice.outcome', { ...trigger, ...outcome });
    return outcome;
  }

  private async blocked(
    record: CaseRecord,
    notice: string,
    reason: string,
  ): Promise<NoticeOutcome> {
    const date = record.disclosureAt ?? '';
    await this.deps.cases.update(
      record.id,
      appendOnce({
        id: `notice-blocked:${notice}:${date}`,
        at: this.deps.clock.now().toISOString(),
        type: 'notice-blocked',
        actor: this.deps.config.securityAddress,
        summary: `The ${notice} notice was not sent: ${reason}`,
        authentication: { method: 'system' },
      }),
    );
    await this.deps.mailer.toMaintainers(
      record,
      () => ({
        key: `blocked/${notice}/${date}`,
        subject: caseSubject(record, `The ${notice} notice was NOT sent`),
        text: `The ${notice} notice for ${record.id} is due but was not sent: ${reason}.\nIt goes out as soon as that is fixed.`,
      }),
      `blocked/${notice}/${date}`,
    );
    return { kind: 'blocked', reason };
  }

  /**
   * The case's patches for the advance notice, within the attachment budget that keeps every
   * encrypted mail under SES's 40 MB limit (outbound/oversized-attachments.ts); the largest stay
   * out first, and `left` lists them with the case-file key the maintainers fetch them by.
   */
  private async patchAttachments(
    record: CaseRecord,
  ): Promise<{ attached: ReportAttachment[]; left: PatchFile[] }> {
    const patches = record.patches ?? [];
    const loaded = await Promise.all(
      patches.map(async (p) => ({
        filename: p.filename,
        contentType: 'text/x-diff',
        content: await this.deps.files.get(p.key),
      })),
    );
    const { inline, oversized } = partitionForMail(loaded);
    return { attached: inline, left: patches.filter((_, i) => oversized.includes(loaded[i]!)) };
  }

  /**
   * The CSAF copy for distributors carries TLP:AMBER: they may share it inside their own
   * organisation to prepare packages (as the embargo allows), not beyond it.
   */
  private csafAttachment(record: CaseRecord): ReportAttachment[] {
    const csaf = advisoryRecord(record, this.deps.config, 'csaf', this.deps.clock.now(), {
      tlp: 'AMBER',
      draft: false,
    });
    return csaf
      ? [{ filename: csaf.filename, contentType: 'application/json', content: csaf.content }]
      : [];
  }

  private async advance(record: CaseRecord): Promise<NoticeOutcome> {
    const { config, distributors, mailer, crypto, clock } = this.deps;
    const date = record.disclosureAt!;
    // Every mail below is keyed by the round, so a date told again is sent again (notice-round.ts).
    const round = noticeRound(record);
    if (record.kind === 'upstream')
      return { kind: 'skipped', reason: 'upstream announcements are public already' };
    if (!record.advisory)
      return this.blocked(record, 'advance', 'the case has no advisory text yet (/advisory)');
    const previousDate = record.advanceNoticesSent?.filter((d) => d !== date).at(-1);
    // This round went out already: only distributors chosen since (`/distributors`) get it now.
    const late = toldCurrentDate(record);
    const { attached, left } = await this.patchAttachments(record);
    const attachments = [...attached, ...this.csafAttachment(record)];
    const notified: string[] = [];
    const skipped: { name: string; problem: string }[] = [];
    const withheld: { name: string; problem: string }[] = [];
    const at = clock.now().toISOString();
    const events: { who: RecipientRef; event: RecipientEvent }[] = [];
    // Only the distributors chosen for the case (`/distributors`), by default the whole list.
    for (const distributor of caseRecipients(record, await distributors.list())) {
      const key = await crypto.inspectKey(distributor.publicKeyArmored);
      if (!key.usable) {
        skipped.push({ name: distributor.name, problem: key.problem });
        continue;
      }
      const entry = recipientOf(record.recipients, distributor.email);
      if (late && (entry?.noticeSent?.round === round || entry?.invited?.round === round)) continue;
      const mode = distributor.consent ?? config.distributorConsent;
      const step = consentStep(mode, entry, clock.now(), config.invitationWindowDays);
      if (step === 'invite') {
        await this.invite(record, distributor, at);
        events.push({ who: distributor, event: { kind: 'invited', at, round } });
        withheld.push({
          name: distributor.name,
          problem: 'invited (consent first); details after its signed /accept',
        });
        continue;
      }
      if (step === 'lapse') events.push({ who: distributor, event: { kind: 'lapsed', at } });
      if (step !== 'details') {
        withheld.push({
          name: distributor.name,
          problem:
            step === 'awaiting'
              ? 'invited, no answer yet; details after its signed /accept'
              : `${step === 'lapse' ? 'lapsed' : (entry?.consent?.state ?? 'declined')}: no details are ever sent to it`,
        });
        continue;
      }
      await this.sendDetails(record, distributor, { attachments, left, round, previousDate });
      notified.push(distributor.name);
      events.push({ who: distributor, event: { kind: 'notice-sent', at, round } });
    }
    if (late) return this.lateRecipients(record, { notified, skipped, withheld, events, round });
    const invite = caseInvite({
      record,
      config,
      attendee: {
        email: record.reporter.address,
        ...(record.reporter.name ? { name: record.reporter.name } : {}),
      },
      method: 'REQUEST',
      withAdvanceNotice: false,
      now: clock.now(),
    });
    await mailer.toReporter(record, {
      key: `disclosure-date/${round}`,
      ...withTag(record, reporterDateText(record, config)),
      ...(invite ? { calendar: invite } : {}),
    });
    const summary = notifiedSummaryText({
      record,
      notified,
      skipped,
      withheld,
      updated: !!previousDate,
    });
    await mailer.toMaintainers(
      record,
      () => ({
        key: `advance-summary/${round}`,
        ...withTag(record, {
          ...summary,
          text: summary.text + patchesLeftOutForMaintainers(record.id, left),
        }),
      }),
      `advance-summary/${round}`,
    );
    const told = appendOnce(
      {
        id: `advance-notice:${round}`,
        at,
        type: 'advance-notice',
        actor: config.securityAddress,
        summary: `${previousDate ? 'Updated advance' : 'Advance'} notice for disclosure on ${formatUtc(date)} sent to ${countOf(notified.length, 'distributor')}${skipped.length ? `; ${skipped.length} skipped (unusable key)` : ''}; reporter told the date`,
        authentication: { method: 'system' },
      },
      {
        advanceNoticesSent: [...(record.advanceNoticesSent ?? []).filter((d) => d !== date), date],
        advanceNoticeRound: record.dateChanges ?? 0,
      },
    );
    return this.recordSent(record, told, events, notified.length);
  }

  /**
   * Distributors chosen after this round's notice went out got it just now: the maintainers are
   * told who (one summary per set of newcomers), the reporter nothing (they know the date).
   */
  private async lateRecipients(
    record: CaseRecord,
    sent: {
      notified: string[];
      skipped: { name: string; problem: string }[];
      withheld: { name: string; problem: string }[];
      events: { who: RecipientRef; event: RecipientEvent }[];
      round: string;
    },
  ): Promise<NoticeOutcome> {
    const { config, mailer, clock } = this.deps;
    const { notified, skipped, withheld, events, round } = sent;
    if (!events.length && !skipped.length)
      return { kind: 'skipped', reason: "no chosen distributor is waiting for this date's notice" };
    const newcomers = [...notified, ...withheld.map((w) => w.name), ...skipped.map((s) => s.name)]
      .sort()
      .join(',');
    const key = `advance-summary/${round}/late/${newcomers}`;
    const summary = notifiedSummaryText({ record, notified, skipped, withheld, updated: false });
    await mailer.toMaintainers(
      record,
      () => ({
        key,
        ...withTag(record, {
          subject: `${summary.subject} chosen after the notice went out`,
          text: `${wrapParagraph('These distributors were chosen for the case (/distributors) after its advance notice for this date went out, so they got it now.').join('\n')}\n\n${summary.text}`,
        }),
      }),
      key,
    );
    const at = clock.now().toISOString();
    const told = appendOnce({
      id: `advance-notice:${round}:late:${newcomers}`,
      at,
      type: 'advance-notice',
      actor: config.securityAddress,
      summary: `Advance notice sent to ${countOf(notified.length, 'distributor')} chosen after the notice went out${skipped.length ? `; ${skipped.length} skipped (unusable key)` : ''}`,
      authentication: { method: 'system' },
    });
    return this.recordSent(record, told, events, notified.length);
  }

  /** The history event, and each recipient's entry the notice of this round, on the case as it is now. */
  private async recordSent(
    record: CaseRecord,
    told: (current: CaseRecord) => CaseUpdate | undefined,
    events: { who: RecipientRef; event: RecipientEvent }[],
    recipients: number,
  ): Promise<NoticeOutcome> {
    await this.deps.cases.update(record.id, (current) => {
      const update = told(current);
      if (!update) return undefined;
      const list = events.reduce(
        (entries, { who, event }) => applyRecipientEvent(entries, who, event),
        current.recipients,
      );
      return list ? { ...update, fields: { ...update.fields, recipients: list } } : update;
    });
    return { kind: 'sent', notice: 'advance', recipients };
  }

  /**
   * The advance notice with the details, to one distributor alone: no list, no Cc, no other
   * address; encrypted to its key.
   */
  private async sendDetails(
    record: CaseRecord,
    distributor: Distributor,
    parts: {
      attachments: ReportAttachment[];
      left: PatchFile[];
      round: string;
      previousDate: string | undefined;
    },
  ): Promise<void> {
    const text = advanceNoticeText({
      record,
      config: this.deps.config,
      distributor,
      ...(parts.previousDate ? { previousDate: parts.previousDate } : {}),
    });
    // The disclosure in the distributor's calendar, as maintainers and the reporter get it;
    // inside the encrypted mail, like the rest of the notice.
    const calendar = caseInvite({
      record,
      config: this.deps.config,
      attendee: { email: distributor.email, name: distributor.name },
      method: 'REQUEST',
      withAdvanceNotice: false,
      now: this.deps.clock.now(),
    });
    await this.deps.mailer.toOutsider(
      record,
      { address: distributor.email, name: distributor.name },
      {
        key: `advance/${parts.round}`,
        ...text,
        text: text.text + patchesLeftOutText(parts.left),
        attachments: parts.attachments,
        ...(calendar ? { calendar } : {}),
        encryptTo: distributor.publicKeyArmored,
      },
    );
  }

  /** Consent first: the invitation, without details, once per case. */
  private async invite(record: CaseRecord, distributor: Distributor, at: string): Promise<void> {
    const { config, mailer } = this.deps;
    const openUntil = invitationClosesAt(at, config.invitationWindowDays).toISOString();
    await mailer.toOutsider(
      record,
      { address: distributor.email, name: distributor.name },
      {
        key: 'invitation',
        ...invitationText({ record, config, distributor, openUntil }),
        encryptTo: distributor.publicKeyArmored,
      },
    );
  }

  /**
   * Consent first: the details to a distributor that has just accepted, when the advance notice
   * of the case's current date has gone out already (otherwise it goes with the notice).
   */
  async afterAcceptance(caseId: CaseRecord['id'], distributor: Distributor): Promise<boolean> {
    const { cases, clock } = this.deps;
    const record = await cases.get(caseId);
    if (!record || record.status === 'closed' || record.disclosedAt || !toldCurrentDate(record))
      return false;
    if (recipientOf(record.recipients, distributor.email)?.consent?.state !== 'accepted')
      return false;
    const round = noticeRound(record);
    const previousDate = record.advanceNoticesSent?.filter((d) => d !== record.disclosureAt).at(-1);
    const { attached, left } = await this.patchAttachments(record);
    const attachments = [...attached, ...this.csafAttachment(record)];
    await this.sendDetails(record, distributor, { attachments, left, round, previousDate });
    const at = clock.now().toISOString();
    const eventId = `advance-notice:${round}:${distributor.email.toLowerCase()}`;
    await cases.update(record.id, (current) =>
      hasEvent(current, eventId)
        ? undefined
        : {
            fields: {
              recipients: applyRecipientEvent(current.recipients, distributor, {
                kind: 'notice-sent',
                at,
                round,
              }),
            },
            events: [
              {
                id: eventId,
                at,
                type: 'advance-notice',
                actor: this.deps.config.securityAddress,
                summary: `Advance notice with the details sent to ${distributor.name} after its signed /accept`,
                authentication: { method: 'system' },
              },
            ],
          },
    );
    return true;
  }

  private async ossReminder(record: CaseRecord): Promise<NoticeOutcome> {
    const { config, mailer, cases, clock } = this.deps;
    if (!record.disclosedAt) return { kind: 'skipped', reason: 'the case is not disclosed yet' };
    if (!ossReminderAt(record, config))
      return { kind: 'skipped', reason: 'no exploits are held back' };
    const date = record.disclosureAt!;
    const sent = await mailer.toMaintainers(
      record,
      () => ({ key: `oss-reminder/${date}`, ...ossReminderText(record, config) }),
      `oss-reminder/${date}`,
    );
    await cases.update(
      record.id,
      appendOnce({
        id: `oss-reminder:${date}`,
        at: clock.now().toISOString(),
        type: 'reminder',
        actor: config.securityAddress,
        summary: `Maintainers reminded to post the exploits held back to ${config.ossSecurity}`,
        authentication: { method: 'system' },
      }),
    );
    return { kind: 'sent', notice: 'oss-reminder', recipients: sent.length };
  }

  private async disclosure(record: CaseRecord): Promise<NoticeOutcome> {
    const { config, mailer, crypto, cases, clock, files } = this.deps;
    const date = record.disclosureAt!;
    if (!record.advisory)
      return this.blocked(record, 'disclosure', 'the case has no advisory text (/advisory)');
    if (record.kind !== 'upstream' && !toldCurrentDate(record)) {
      // The advance notice must precede the public one, even if its schedule was lost.
      const advance = await this.advance(record);
      if (advance.kind === 'blocked') return advance;
      record = (await cases.get(record.id)) ?? record;
    }
    const notice = publicNoticeText(record, config);
    await mailer.toOutsider(
      record,
      { address: config.announceAddress },
      {
        key: `public/${date}`,
        subject: notice.subject,
        text: await crypto.clearsign(notice.text),
      },
    );

    // One instant for the disclosure: the records' `published` date is the one the case keeps,
    // so a record rebuilt after D (a change, osv-publication.ts) says the same date.
    const disclosedAt = record.disclosedAt ?? clock.now().toISOString();
    // Every record a downstream consumer reads: OSV, CVE (with an id), CSAF, OpenVEX. The CSAF
    // names the distributors that consented to it, with their signed statuses, and no other.
    const named = publicDistributorStatements(record, await this.deps.distributors.list());
    const exports: ReportAttachment[] = recordFormats
      .map((format) =>
        advisoryRecord({ ...record, disclosedAt }, config, format, clock.now(), {
          draft: false,
          distributors: named,
        }),
      )
      .filter((file) => file !== undefined)
      .map((file) => ({
        filename: file.filename,
        contentType: 'application/json',
        content: file.content,
      }));
    for (const file of exports)
      await files.put(`${record.id}/exports/${file.filename}`, file.content, file.contentType);

    // The footer states the case as it is once this run ends: disclosed (recorded just below).
    const disclosing: CaseRecord = { ...record, status: 'disclosed', disclosedAt };
    const ossPost = config.ossSecurity
      ? {
          ...ossSecurityPostText(disclosing, config, {
            ...(record.ghsa ? { ghsaUrl: record.ghsa.url } : {}),
          }),
          sends: config.ossSecurityPost === 'send',
        }
      : undefined;
    const checklist = disclosureChecklistText(
      record,
      config,
      exports.map((e) => e.filename),
      ossPost,
      named,
    );
    await mailer.toMaintainers(
      disclosing,
      () => ({ key: `checklist/${date}`, ...withTag(record, checklist), attachments: exports }),
      `checklist/${date}`,
    );
    const disclosed = await cases.update(
      record.id,
      appendOnce(
        {
          id: `disclosure-notice:${date}`,
          at: clock.now().toISOString(),
          type: 'disclosure-notice',
          actor: config.securityAddress,
          summary: `Public notice sent to ${config.announceAddress}; disclosure-day checklist and ${exports.map((e) => e.filename).join(', ')} sent to maintainers`,
          authentication: { method: 'system' },
        },
        { disclosedAt, status: 'disclosed' },
      ),
    );
    // After the public notice, never before; once (the case records it), retried on failure.
    let published = disclosed;
    if (this.deps.github) published = await this.deps.github.publish(published);
    const osv = exports.find((e) => e.filename.endsWith('.osv.json'));
    if (this.deps.osv && osv) published = await this.deps.osv.publish(published, osv.content);
    const csaf = exports.find((e) => e.filename.endsWith('.csaf.json'));
    if (this.deps.csaf && csaf) published = await this.deps.csaf.publish(published, csaf.content);
    // Last, so that the post can link the records published just before it.
    if (config.ossSecurity && config.ossSecurityPost === 'send')
      await this.postToOssSecurity(published, config.ossSecurity);
    return { kind: 'sent', notice: 'disclosure', recipients: 1 };
  }

  /**
   * Sends the oss-security post from the security address, once (the mail is keyed by the date
   * like every notice), records it on the case and gives the maintainers a copy.
   */
  private async postToOssSecurity(record: CaseRecord, list: string): Promise<void> {
    const { config, mailer, crypto, cases, clock } = this.deps;
    const date = record.disclosureAt!;
    const id = `oss-security-post:${date}`;
    if (hasEvent(record, id)) return;
    const post = ossSecurityPostText(record, config, {
      ...(record.ghsa?.publishedAt ? { ghsaUrl: record.ghsa.url } : {}),
      ...(record.osvCommit?.fileUrl ? { osvUrl: record.osvCommit.fileUrl } : {}),
    });
    await mailer.toOutsider(
      record,
      { address: list },
      {
        key: `oss-security/${date}`,
        subject: post.subject,
        text: await crypto.clearsign(post.text),
      },
    );
    const sentAt = clock.now().toISOString();
    const updated = await cases.update(
      record.id,
      appendOnce(
        {
          id,
          at: sentAt,
          type: 'record-published',
          actor: config.securityAddress,
          summary: `Advisory posted to ${list}: ${post.subject}`,
          authentication: { method: 'system' },
        },
        { ossSecurityPost: { to: list, subject: post.subject, sentAt } },
      ),
    );
    await mailer.toMaintainers(
      updated,
      () => ({
        key: `oss-security-copy/${date}`,
        ...withTag(record, {
          subject: `Posted to ${list}: ${post.subject}`,
          text: [
            `Embargo posted the advisory to ${list} from ${config.securityAddress}`,
            '(ossSecurityPost: "send"), clearsigned with the project key. Replies from the list',
            'come to the security address. The post:',
            '',
            `Subject: ${post.subject}`,
            '',
            post.text,
          ].join('\n'),
        }),
      }),
      `oss-security-copy/${date}`,
    );
  }
}

function withTag(record: CaseRecord, mail: { subject: string; text: string }) {
  return { ...mail, subject: `${caseSubjectTag(record.id)} ${mail.subject}` };
}
