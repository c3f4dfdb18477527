import { countOf } from '../../shared/mail/count-text';
import type { Command } from 'commander';
import { noticesHandler } from '../../functions/notices';
import { ackWatchHandler } from '../../functions/ack-watch';
import { EmbargoError } from '../../shared/errors';
import { consoleLogger } from '../local/console-logger';
import { LocalSchedulerLoop } from '../local/local-scheduler-loop';
import { withLocalServices } from './sessions/local-session';
import { targetsDeployedStack } from './sessions/deployed-session';

export function addTickCli(program: Command): void {
  program
    .command('tick')
    .option('--now <date-time>', 'the instant to act as of (ISO 8601); default: now')
    .description(
      'fire every notice schedule due as of --now and run the 48-hour watch (and flood digest) once',
    )
    .action(async (opts: { now?: string }) => {
      if (targetsDeployedStack()) {
        throw new EmbargoError(
          'WRONG_MODE',
          'tick drives the local scheduler; a deployed stack runs its notices with EventBridge Scheduler.',
          'Unset EMBARGO_AWS_FUNCTION to tick local mode.',
        );
      }
      const now = opts.now ? new Date(opts.now) : new Date();
      if (Number.isNaN(now.getTime())) {
        throw new EmbargoError(
          'USAGE',
          `"${opts.now}" is not a date-time.`,
          'Use ISO 8601, e.g. 2026-12-03T09:00:00Z.',
        );
      }
      const clock = { now: () => now };
      await withLocalServices(async ({ services, scheduler }) => {
        const pending = await scheduler.pending();
        const log = consoleLogger((line) => process.stderr.write(`${line}\n`));
        const loop = new LocalSchedulerLoop(
          scheduler,
          noticesHandler(() => services, log),
          ackWatchHandler(() => services),
          log,
        );
        const fired = await loop.runDue(now);
        // A jump ahead skips the watch runs in between: look back from the earlier instant.
        const watch = await services.watch.run({
          lookBackFrom: new Date(Math.min(now.getTime(), Date.now())),
        });
        const digest = await services.floodDigest.run();
        console.log(
          `As of ${now.toISOString()}: fired ${fired} of ${countOf(pending.length, 'pending schedule')}; ` +
            `watch checked ${countOf(watch.checked, 'case')}, acknowledged ${watch.acknowledged}, warned ${countOf(watch.escalated, 'time')}; ` +
            `sent ${countOf(digest.digests, 'flood digest')}.`,
        );
        for (const s of await scheduler.pending()) console.log(`  pending: ${s.name} at ${s.at}`);
      }, clock);
    });
}
