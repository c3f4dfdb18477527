import type { Logger } from '../../shared/logging/logger';
import type { NoticeTrigger } from '../../shared/notices/notice-scheduler';
import type { LocalNoticeScheduler } from './local-notice-scheduler';
import { errorMessage } from '../../shared/errors';

export interface SchedulerLoopOptions {
  /** How often due notice schedules are looked for. */
  tickMs: number;
  /** How often the 48-hour watch runs (EventBridge rate schedule in AWS). */
  watchMs: number;
}

/**
 * Fires due schedules through the notices handler and runs the watch on a timer, as
 * EventBridge Scheduler does in AWS. A failed notice stays scheduled and is tried next tick.
 */
export class LocalSchedulerLoop {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly scheduler: LocalNoticeScheduler,
    private readonly fire: (trigger: NoticeTrigger) => Promise<unknown>,
    private readonly watch: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  /** Fires every schedule due at `now`; returns how many ran. */
  async runDue(now: Date): Promise<number> {
    let ran = 0;
    for (const schedule of await this.scheduler.due(now)) {
      try {
        await this.fire(schedule.trigger);
        await this.scheduler.complete(schedule);
        ran++;
      } catch (err) {
        this.log.error('schedule.failed', {
          schedule: schedule.name,
          error: errorMessage(err),
        });
      }
    }
    return ran;
  }

  start(options: SchedulerLoopOptions): void {
    // Runs never overlap: each waits for the previous one.
    const serial = (work: () => Promise<unknown>) => () => {
      this.running = this.running
        .then(work)
        .catch((err: Error) => this.log.error('scheduler.failed', { error: err.message }));
    };
    this.timers.push(
      setInterval(
        serial(() => this.runDue(new Date())),
        options.tickMs,
      ),
    );
    this.timers.push(
      setInterval(
        serial(() => this.watch()),
        options.watchMs,
      ),
    );
    for (const timer of this.timers) timer.unref();
  }

  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    this.timers = [];
    await this.running;
  }
}
