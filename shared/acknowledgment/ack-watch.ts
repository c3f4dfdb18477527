import type { GhsaService } from '../github-advisory/ghsa-service';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { Logger } from '../logging/logger';
import type { Acknowledger } from './acknowledger';
import { formatUtc } from '../time/utc-text';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { CaseRecord } from '../cases/case-record';
import { appendOnce, hasEvent } from '../cases/case-updates';
import { errorMessage } from '../errors';

const HOUR_MS = 3_600_000;
/** The last warning comes this long before the deadline, while there is still time to act. */
const FINAL_WARNING_MS = 6 * HOUR_MS;
/**
 * How far back the watch looks. Every warning falls within the answer period, so older cases
 * need no watching; the bound keeps each run's read small however many cases pile up.
 */
const LOOKBACK_PERIODS = 4;

export type EscalationStage = 'ack-failed' | 'half-time' | 'final-warning' | 'missed';

export function hasMaintainerAnswer(record: CaseRecord): boolean {
  return record.history.some((e) => e.type === 'maintainer-reply' || e.type === 'commands-applied');
}

/**
 * The warning due for a case that no maintainer has answered yet: the latest stage reached. A
 * watch that did not run in between (or `tick --now` jumping ahead) gives that one only, not
 * every earlier stage at once: "half of the time has passed" says nothing once it has run out.
 */
export function dueEscalations(record: CaseRecord, now: Date): EscalationStage[] {
  if (record.status === 'closed' || record.kind === 'upstream' || hasMaintainerAnswer(record))
    return [];
  const received = new Date(record.receivedAt).getTime();
  const due = new Date(record.ackDueAt).getTime();
  const t = now.getTime();
  if (t >= due) return ['missed'];
  if (t >= due - FINAL_WARNING_MS) return ['final-warning'];
  if (t >= received + (due - received) / 2) return ['half-time'];
  return [];
}

const STAGE_TEXT: Record<EscalationStage, string> = {
  'ack-failed': 'The automatic acknowledgment could not be sent',
  'half-time': 'Half of the answer time has passed without a maintainer answer',
  'final-warning': 'The answer deadline is close and no maintainer has answered',
  missed: 'The answer deadline has passed without a maintainer answer',
};

/**
 * The 48-hour promise, watched: retries acknowledgments that did not go out, and warns the
 * maintainers at half time and again hours before the deadline if nobody has answered.
 */
export class AckWatch {
  constructor(
    private readonly deps: {
      config: EmbargoConfig;
      cases: CaseRepository;
      mailer: CaseMailer;
      acknowledger: Acknowledger;
      clock: Clock;
      log: Logger;
      /** Picks up CVE ids GitHub assigned after `/cve request` (absent without `github`). */
      github?: Pick<GhsaService, 'watch'>;
    },
  ) {}

  /**
   * `lookBackFrom` (default: the clock's now) is where the bounded look-back starts: `tick
   * --now` jumping ahead passes the real now, so cases received before the jump are still
   * read, and warnings that no run in between could give are given as of the simulated now.
   */
  async run(
    options: { lookBackFrom?: Date } = {},
  ): Promise<{ checked: number; acknowledged: number; escalated: number }> {
    const { cases, log } = this.deps;
    const result = { checked: 0, acknowledged: 0, escalated: 0 };
    const from = options.lookBackFrom ?? this.deps.clock.now();
    const since = new Date(
      from.getTime() - LOOKBACK_PERIODS * this.deps.config.ackWithinHours * HOUR_MS,
    ).toISOString();
    for (const record of await cases.listReceived({ from: since })) {
      if (record.status === 'closed' || record.kind === 'upstream') continue;
      result.checked++;
      try {
        // A held acknowledgment waits for the maintainers (`/ack`); the warnings below still run.
        if (!record.acknowledgedAt && !record.ackHeld) {
          try {
            await this.deps.acknowledger.acknowledge(record);
            result.acknowledged++;
            log.info('watch.acknowledged', { caseId: record.id });
          } catch (err) {
            log.error('watch.ack-failed', { caseId: record.id, error: errorMessage(err) });
            if (await this.escalate(record, 'ack-failed', errorMessage(err))) result.escalated++;
          }
        }
        for (const stage of dueEscalations(record, this.deps.clock.now())) {
          if (await this.escalate(record, stage)) result.escalated++;
        }
      } catch (err) {
        // One case failing must not stop the watch over the others.
        log.error('watch.case-failed', { caseId: record.id, error: errorMessage(err) });
      }
    }
    await this.watchCveRequests();
    return result;
  }

  /** Cases waiting for GitHub's CVE id, however old: a CNA can take days. */
  private async watchCveRequests(): Promise<void> {
    const { github, cases, log } = this.deps;
    if (!github) return;
    for (const record of await cases.listAwaitingCve()) {
      try {
        await github.watch(record);
      } catch (err) {
        log.error('watch.cve-request-failed', { caseId: record.id, error: errorMessage(err) });
      }
    }
  }

  private async escalate(
    record: CaseRecord,
    stage: EscalationStage,
    detail?: string,
  ): Promise<boolean> {
    const eventId = `escalated:${stage}`;
    if (hasEvent(record, eventId)) return false;
    const { config, mailer, cases, clock, log } = this.deps;
    log.warn('watch.escalated', { caseId: record.id, stage, deadline: record.ackDueAt });
    await mailer.toMaintainers(
      record,
      () => ({
        key: `escalation/${stage}`,
        subject: caseSubject(record, `ACTION NEEDED: ${STAGE_TEXT[stage]}`),
        text: [
          `${STAGE_TEXT[stage]} for ${record.id} (from ${record.reporter.address}, received ${formatUtc(record.receivedAt)}).`,
          ...(detail ? [`Error: ${detail}`] : []),
          '',
          `The project promises an answer within ${config.ackWithinHours} hours: by ${formatUtc(record.ackDueAt)}.`,
          'Reply to the report on its thread to answer the reporter.',
        ].join('\n'),
      }),
      `escalation/${stage}`,
    );
    await cases.update(
      record.id,
      appendOnce({
        id: eventId,
        at: clock.now().toISOString(),
        type: 'escalated',
        actor: config.securityAddress,
        summary: `Maintainers warned: ${STAGE_TEXT[stage]}`,
        authentication: { method: 'system' },
      }),
    );
    return true;
  }
}
