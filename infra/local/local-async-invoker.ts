import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../shared/logging/logger';

export type AsyncHandler = (event: unknown) => Promise<unknown>;

export interface AsyncInvokerOptions {
  /** Where events that failed every attempt are kept, like a Lambda dead-letter queue. */
  deadLetterDir: string;
  log: Logger;
  /** Lambda retries an asynchronous invocation twice. */
  retries?: number;
  retryDelayMs?: number;
  /** Like reserved concurrency: how many invocations run at once. */
  concurrency?: number;
}

/**
 * Lambda's asynchronous invocation, locally: the caller does not wait, failures are retried
 * with back-off, and what still fails is written to a dead-letter folder with its error.
 *
 * Invocations waiting for a slot are taken in turn from each lane (intake's lane is the
 * sender's domain), not first come, first served: a flood from a few senders queues behind
 * itself, and a report from anyone else waits for at most one invocation of each busy lane,
 * not for the whole backlog. (In AWS each delivery is its own invocation; see docs/flood.md.)
 */
export class LocalAsyncInvoker {
  /** Waiting invocations by lane; `turns` holds each lane with waiters once, in turn order. */
  private readonly waiting = new Map<string, Array<() => void>>();
  private readonly turns: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private running = 0;

  constructor(
    private readonly name: string,
    private readonly handler: AsyncHandler,
    private readonly options: AsyncInvokerOptions,
  ) {}

  invoke(event: unknown, id: string, lane = ''): void {
    const run = this.runWithRetries(event, id, lane).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Resolves when every invocation so far has finished (succeeded or been dead-lettered). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async slot(lane: string): Promise<void> {
    if (this.running < (this.options.concurrency ?? 8)) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => {
      const queue = this.waiting.get(lane);
      if (queue) queue.push(resolve);
      else {
        this.waiting.set(lane, [resolve]);
        this.turns.push(lane);
      }
    });
  }

  /** Hands the freed slot to the next lane in turn, which goes to the back if it has more. */
  private release(): void {
    const lane = this.turns.shift();
    if (lane === undefined) {
      this.running--;
      return;
    }
    const queue = this.waiting.get(lane)!;
    const next = queue.shift()!;
    if (queue.length) this.turns.push(lane);
    else this.waiting.delete(lane);
    next();
  }

  private async runWithRetries(event: unknown, id: string, lane: string): Promise<void> {
    const retries = this.options.retries ?? 2;
    const delay = this.options.retryDelayMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      await this.slot(lane);
      try {
        await this.handler(event);
        return;
      } catch (err) {
        const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
        if (attempt > retries) {
          this.options.log.error('invoke.dead-lettered', {
            function: this.name,
            id,
            attempts: attempt,
            error,
          });
          await mkdir(this.options.deadLetterDir, { recursive: true });
          await writeFile(
            join(this.options.deadLetterDir, `${this.name}-${id}.json`),
            JSON.stringify({ function: this.name, error, event }, null, 2),
          );
          return;
        }
        this.options.log.warn('invoke.retrying', { function: this.name, id, attempt, error });
      } finally {
        this.release();
      }
      await new Promise((resolve) => setTimeout(resolve, delay * attempt));
    }
  }
}
