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
 */
export class LocalAsyncInvoker {
  private readonly waiting: Array<() => void> = [];
  private readonly inFlight = new Set<Promise<void>>();
  private running = 0;

  constructor(
    private readonly name: string,
    private readonly handler: AsyncHandler,
    private readonly options: AsyncInvokerOptions,
  ) {}

  invoke(event: unknown, id: string): void {
    const run = this.runWithRetries(event, id).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Resolves when every invocation so far has finished (succeeded or been dead-lettered). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async slot(): Promise<void> {
    if (this.running < (this.options.concurrency ?? 8)) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async runWithRetries(event: unknown, id: string): Promise<void> {
    const retries = this.options.retries ?? 2;
    const delay = this.options.retryDelayMs ?? 1000;
    for (let attempt = 1; ; attempt++) {
      await this.slot();
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
