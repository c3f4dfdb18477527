import { countOf } from '../mail/count-text';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { NoticeScheduler } from './notice-scheduler';
import { formatUtc } from '../time/utc-text';
import type { CaseRecord } from '../cases/case-record';
import { appendOnce } from '../cases/case-updates';
import { embargoTimeline, scheduleName, type EmbargoTimeline } from './embargo-timeline';
import type { NoticeService } from './notice-service';
import { ossReminderAt } from './oss-reminder';
import { noticeRound, toldAnotherDate, toldCurrentDate } from './notice-round';

const DAY_MS = 86_400_000;
/** The maintainers' summary of the recipients comes this long before disclosure. */
export const SUMMARY_BEFORE_MS = DAY_MS;

export interface EmbargoPlannerDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  scheduler: NoticeScheduler;
  notices: NoticeService;
  clock: Clock;
}

/**
 * Keeps a case's schedules in step with its state: the advance notice at D minus the advance
 * period and the public notice at D. A new date replaces the pending schedules (they are named
 * per case and kind); closing cancels them; an advance time already past fires at once, and so
 * does the updated notice when recipients were told another date.
 */
/** The distributors chosen for the case (`/distributors`) that this round's notice has not reached. */
export function chosenSinceNotice(record: CaseRecord): { address: string; name: string }[] {
  const round = noticeRound(record);
  return (record.distributorSelection ?? []).filter((chosen) => {
    const entry = record.recipients?.find((r) => r.address === chosen.address);
    return entry?.noticeSent?.round !== round && entry?.invited?.round !== round;
  });
}

export class EmbargoPlanner {
  constructor(private readonly deps: EmbargoPlannerDependencies) {}

  async sync(record: CaseRecord): Promise<void> {
    const { scheduler, cases, clock, config } = this.deps;
    // Schedules exist only once a date is set (no command removes one): nothing to do before.
    if (!record.disclosureAt) return;
    await this.syncOssReminder(record);
    const advanceName = scheduleName(record.id, 'advance');
    const disclosureName = scheduleName(record.id, 'disclosure');
    const timeline = embargoTimeline(record, config);
    const at = clock.now().toISOString();

    if (!timeline || record.status === 'closed' || record.disclosedAt) {
      await scheduler.cancel(advanceName);
      await scheduler.cancel(disclosureName);
      await scheduler.cancel(scheduleName(record.id, 'distributor-reminder'));
      await scheduler.cancel(scheduleName(record.id, 'pre-disclosure'));
      if (record.disclosureAt && record.status === 'closed' && !record.disclosedAt) {
        await cases.update(
          record.id,
          appendOnce({
            id: `schedule-cancelled:${record.disclosureAt}:${record.version}`,
            at,
            type: 'schedule',
            actor: config.securityAddress,
            summary: 'Case closed: pending notices cancelled',
            authentication: { method: 'system' },
          }),
        );
      }
      return;
    }

    const disclosureAt = record.disclosureAt!;
    const trigger = { caseId: record.id, disclosureAt };
    await scheduler.schedule(disclosureName, timeline.disclosureAt, {
      ...trigger,
      kind: 'disclosure',
    });
    const advanceSent = toldCurrentDate(record);
    const moved = toldAnotherDate(record);
    const advanceNow =
      !advanceSent && (moved || timeline.advanceAt.getTime() <= clock.now().getTime());
    if (advanceSent || advanceNow || record.kind === 'upstream')
      await scheduler.cancel(advanceName);
    else await scheduler.schedule(advanceName, timeline.advanceAt, { ...trigger, kind: 'advance' });

    await cases.update(
      record.id,
      appendOnce({
        id: `schedule:${noticeRound(record)}:${timeline.advanceDays}`,
        at,
        type: 'schedule',
        actor: config.securityAddress,
        summary:
          `Public notice scheduled for ${formatUtc(disclosureAt)}; ` +
          (record.kind === 'upstream'
            ? 'no advance notice (upstream announcement)'
            : advanceSent
              ? 'advance notice already sent for this date'
              : moved
                ? 'updated advance notice sent now (distributors and the reporter were told another date)'
                : `advance notice ${advanceNow ? 'due now' : `scheduled for ${formatUtc(timeline.advanceAt.toISOString())}`} (${countOf(timeline.advanceDays, 'day')} before${record.urgent ? ', urgent' : ''})`),
        authentication: { method: 'system' },
      }),
    );
    if (advanceNow && record.kind !== 'upstream') {
      await this.deps.notices.fire({ ...trigger, kind: 'advance' });
    } else if (advanceSent && record.kind !== 'upstream' && chosenSinceNotice(record).length) {
      // Distributors chosen after this date's notice went out get it now, not at a new date.
      await this.deps.notices.fire({ ...trigger, kind: 'advance' });
    }
    await this.syncFollowUps(
      advanceNow ? ((await cases.get(record.id)) ?? record) : record,
      timeline,
      advanceSent ? 'sent' : advanceNow ? 'now' : 'scheduled',
    );
  }

  /**
   * The reminder to silent recipients `distributorReminderDays` after this round's advance
   * notice (while that is before D), and the maintainers' summary a day before D. Both named
   * per case, so a new date replaces them; each fires for the round current when it runs.
   */
  private async syncFollowUps(
    record: CaseRecord,
    timeline: EmbargoTimeline,
    advance: 'sent' | 'now' | 'scheduled',
  ): Promise<void> {
    const { scheduler, clock, config, notices } = this.deps;
    const reminderName = scheduleName(record.id, 'distributor-reminder');
    const summaryName = scheduleName(record.id, 'pre-disclosure');
    if (record.kind === 'upstream') {
      await scheduler.cancel(reminderName);
      await scheduler.cancel(summaryName);
      return;
    }
    const now = clock.now().getTime();
    const trigger = { caseId: record.id, disclosureAt: record.disclosureAt! };
    const round = noticeRound(record);
    // When this round's notice went (the latest copy), or when it is due to go.
    const sentTimes = (record.recipients ?? [])
      .filter((r) => r.noticeSent?.round === round)
      .map((r) => Date.parse(r.noticeSent!.at));
    const noticeAt =
      advance === 'scheduled'
        ? timeline.advanceAt.getTime()
        : sentTimes.length
          ? Math.max(...sentTimes)
          : now;
    const reminderAt = noticeAt + config.distributorReminderDays * DAY_MS;
    if (reminderAt >= timeline.disclosureAt.getTime()) await scheduler.cancel(reminderName);
    else if (reminderAt > now)
      await scheduler.schedule(reminderName, new Date(reminderAt), {
        ...trigger,
        kind: 'distributor-reminder',
      });
    else {
      // Its time passed before this round's schedule existed: remind now (once per round).
      await scheduler.cancel(reminderName);
      await notices.fire({ ...trigger, kind: 'distributor-reminder' });
    }
    const summaryAt = timeline.disclosureAt.getTime() - SUMMARY_BEFORE_MS;
    // A date set within a day of itself gets no summary: the notice has only just gone out.
    if (summaryAt > now)
      await scheduler.schedule(summaryName, new Date(summaryAt), {
        ...trigger,
        kind: 'pre-disclosure',
      });
    else await scheduler.cancel(summaryName);
  }

  /**
   * The reminder to post exploits held back, seven days after disclosure: kept when the case
   * closes (it is about what is already public), cancelled by `/exploit published`.
   */
  private async syncOssReminder(record: CaseRecord): Promise<void> {
    const { scheduler, config, clock, notices } = this.deps;
    if (!config.ossSecurity || record.exploitHeld === undefined) return;
    const name = scheduleName(record.id, 'oss-reminder');
    const at = ossReminderAt(record, config);
    if (!at) return scheduler.cancel(name);
    const trigger = {
      caseId: record.id,
      disclosureAt: record.disclosureAt!,
      kind: 'oss-reminder' as const,
    };
    if (at.getTime() > clock.now().getTime()) await scheduler.schedule(name, at, trigger);
    else if (record.disclosedAt) {
      await scheduler.cancel(name);
      await notices.fire(trigger);
    }
  }
}
