import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces sends at most `rate` a second, so that a burst (intake mails every maintainer at once)
 * stays under SES's maximum send rate instead of meeting its throttling error and falling back on
 * SDK retries and the dead-letter queue. The rate is asked for once, on the first send; each
 * process (one Lambda container) paces its own sends.
 */
export class SendPacer {
  private rate?: Promise<number>;
  private next = 0;

  /** `rate` gives sends per second; 0 or less means no pacing. */
  constructor(private readonly readRate: () => Promise<number>) {}

  async wait(): Promise<void> {
    this.rate ??= this.readRate().catch((err: unknown) => {
      this.rate = undefined; // ask again on the next send
      throw err;
    });
    const rate = await this.rate;
    if (!(rate > 0)) return;
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / rate;
    if (at > now) await sleep(at - now);
  }
}
