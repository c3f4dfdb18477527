import { randomUUID } from 'node:crypto';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseFiles } from '../cases/case-files';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { DistributorDirectory } from './distributor-directory';
import type { Logger } from '../logging/logger';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { NoticeHolds } from './notice-holds';
import type { NoticeTrigger } from './notice-scheduler';
import { formatUtc } from '../time/utc-text';
import type { AdvisoryExportInput } from '../advisories/advisory-input';
import { caseCredits } from '../advisories/advisory-credits';
import type { GhsaService } from '../advisories/github/ghsa-service';
import { toCveRecord } from '../advisories/cve-record';
import { toOsvRecord } from '../advisories/osv-record';
import { caseSubjectTag } from '../cases/case-id';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { CaseRecord } from '../cases/case-record';
import { appendOnce } from '../cases/case-updates';
import { NoticeInProgressError } from '../errors';
import { holdUntil } from '../time/invocation-hold';
import {
  advanceNoticeText,
  disclosureChecklistText,
  notifiedSummaryText,
  publicNoticeText,
  reporterDateText,
} from './notice-texts';
import type { ReportAttachment } from '../reports/report-content';
import { caseInvite } from './calendar-invite';
import { ossReminderAt, ossReminderText } from './oss-reminder';

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
    const holder = randomUUID();
    const now = clock.now();
    const until = holdUntil(now, options.deadline, DEFAULT_HOLD_MS);
    const heldUntil = await holds.take(notice, holder, now, until);
    if (heldUntil) throw new NoticeInProgressError(notice, heldUntil);
    try {
      return await this.send(trigger);
    } finally {
      // Also after success: a repeat then finds every mail sent and sends nothing.
      await holds.release(notice, holder).catch(() => undefined);
    }
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

  private async patchAttachments(record: CaseRecord): Promise<ReportAttachment[]> {
    return Promise.all(
      (record.patches ?? []).map(async (p) => ({
        filename: p.filename,
        contentType: 'text/x-diff',
        content: await this.deps.files.get(p.key),
      })),
    );
  }

  private async advance(record: CaseRecord): Promise<NoticeOutcome> {
    const { config, distributors, mailer, crypto, cases, clock } = this.deps;
    const date = record.disclosureAt!;
    if (record.kind === 'upstream')
      return { kind: 'skipped', reason: 'upstream announcements are public already' };
    if (!record.advisory)
      return this.blocked(record, 'advance', 'the case has no advisory text yet (/advisory)');
    const previousDate = record.advanceNoticesSent?.filter((d) => d !== date).at(-1);
    const attachments = await this.patchAttachments(record);
    const notified: string[] = [];
    const skipped: { name: string; problem: string }[] = [];
    for (const distributor of await distributors.list()) {
      const key = await crypto.inspectKey(distributor.publicKeyArmored);
      if (!key.usable) {
        skipped.push({ name: distributor.name, problem: key.problem });
        continue;
      }
      const notice = advanceNoticeText({
        record,
        config,
        distributor,
        ...(previousDate ? { previousDate } : {}),
      });
      // One mail per distributor, addressed to it alone: no list, no Cc, no other address.
      await mailer.toOutsider(
        record,
        { address: distributor.email, name: distributor.name },
        {
          key: `advance/${date}`,
          ...notice,
          attachments,
          encryptTo: distributor.publicKeyArmored,
        },
      );
      notified.push(distributor.name);
    }
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
      key: `disclosure-date/${date}`,
      ...withTag(record, reporterDateText(record, config)),
      ...(invite ? { calendar: invite } : {}),
    });
    await mailer.toMaintainers(
      record,
      () => ({
        key: `advance-summary/${date}`,
        ...withTag(
          record,
          notifiedSummaryText({ record, notified, skipped, updated: !!previousDate }),
        ),
      }),
      `advance-summary/${date}`,
    );
    await cases.update(
      record.id,
      appendOnce(
        {
          id: `advance-notice:${date}`,
          at: clock.now().toISOString(),
          type: 'advance-notice',
          actor: config.securityAddress,
          summary: `${previousDate ? 'Updated advance' : 'Advance'} notice for disclosure on ${formatUtc(date)} sent to ${notified.length} distributor(s)${skipped.length ? `; ${skipped.length} skipped (unusable key)` : ''}; reporter told the date`,
          authentication: { method: 'system' },
        },
        {
          advanceNoticesSent: [
            ...(record.advanceNoticesSent ?? []).filter((d) => d !== date),
            date,
          ],
        },
      ),
    );
    return { kind: 'sent', notice: 'advance', recipients: notified.length };
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

  private exportInput(record: CaseRecord): AdvisoryExportInput {
    const { config } = this.deps;
    return {
      project: config.project,
      caseId: record.id,
      disclosureAt: record.disclosureAt!,
      modifiedAt: this.deps.clock.now().toISOString(),
      references: config.repositoryUrl ? [config.repositoryUrl] : [],
      ...(record.cve ? { cve: record.cve } : {}),
      ...(record.title ? { title: record.title } : {}),
      ...(record.advisory ? { advisory: record.advisory } : {}),
      ...(record.severity ? { severity: record.severity } : {}),
      ...(record.affected ? { affected: record.affected } : {}),
      ...(record.fixed ? { fixed: record.fixed } : {}),
      ...(record.cvss ? { cvss: record.cvss } : {}),
      ...(record.cwes ? { cwes: record.cwes } : {}),
      credits: caseCredits(record),
      releaseLines: config.supportedReleases,
      ...(config.ecosystem ? { ecosystem: config.ecosystem } : {}),
      ...(config.packageName ? { packageName: config.packageName } : {}),
      ...(config.osvIdPrefix ? { osvIdPrefix: config.osvIdPrefix } : {}),
      ...(config.repositoryUrl ? { repositoryUrl: config.repositoryUrl } : {}),
    };
  }

  private async disclosure(record: CaseRecord): Promise<NoticeOutcome> {
    const { config, mailer, crypto, cases, clock, files } = this.deps;
    const date = record.disclosureAt!;
    if (!record.advisory)
      return this.blocked(record, 'disclosure', 'the case has no advisory text (/advisory)');
    if (record.kind !== 'upstream' && !record.advanceNoticesSent?.includes(date)) {
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

    const input = this.exportInput(record);
    const exports: ReportAttachment[] = [];
    const osv = Buffer.from(JSON.stringify(toOsvRecord(input), null, 2));
    exports.push({
      filename: `${record.id}.osv.json`,
      contentType: 'application/json',
      content: osv,
    });
    const cve = toCveRecord(input);
    if (cve)
      exports.push({
        filename: `${record.cve}.cve.json`,
        contentType: 'application/json',
        content: Buffer.from(JSON.stringify(cve, null, 2)),
      });
    for (const file of exports)
      await files.put(`${record.id}/exports/${file.filename}`, file.content, file.contentType);

    const checklist = disclosureChecklistText(
      record,
      config,
      exports.map((e) => e.filename),
    );
    await mailer.toMaintainers(
      record,
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
        { disclosedAt: clock.now().toISOString(), status: 'disclosed' },
      ),
    );
    // After the public notice, never before; once (the case records it), retried on failure.
    if (this.deps.github) await this.deps.github.publish(disclosed);
    return { kind: 'sent', notice: 'disclosure', recipients: 1 };
  }
}

function withTag(record: CaseRecord, mail: { subject: string; text: string }) {
  return { ...mail, subject: `${caseSubjectTag(record.id)} ${mail.subject}` };
}
