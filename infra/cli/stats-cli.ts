import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EmbargoError } from '../../shared/errors';
import { teamStats } from '../../shared/stats/team-stats';
import { statsHtmlPage } from './output/stats-page';
import { statsText } from './output/stats-text';
import { statsPeriodOption } from './stats-period-option';
import { withServices } from './sessions/local-session';

interface StatsOptions {
  from?: string;
  to?: string;
  year?: string;
  json?: boolean;
  html?: string;
}

/**
 * `embargo stats [--from D] [--to D | --year Y] [--json | --html file]`: how the team is doing
 * over the cases received in a period, from the case records and their histories.
 */
export function addStatsCli(program: Command): void {
  program
    .command('stats')
    .description(
      'how the team is doing: reports per month, times to acknowledgment, action, fix and disclosure, endings, deadlines missed',
    )
    .option(
      '--from <date>',
      'cases received on or after this day (YYYY, YYYY-MM or YYYY-MM-DD, UTC)',
    )
    .option('--to <date>', 'cases received up to and including this day, month or year (UTC)')
    .option('--year <year>', 'cases received in this calendar year (UTC)')
    .option('--json', 'print JSON')
    .option('--html <file>', 'write one self-contained HTML page with charts (must not exist yet)')
    .action(async (opts: StatsOptions) => {
      if (opts.json && opts.html !== undefined)
        throw new EmbargoError(
          'USAGE',
          '--json prints the figures and --html writes a page: one run does one of them.',
          'Give --json or --html <file>, not both.',
        );
      const period = statsPeriodOption(opts);
      const { records, config } = await withServices(async (services) => ({
        // Cases are listed by arrival: the period bounds the read (docs/cli.md#statistics).
        records: await services.cases.listReceived({
          from: period.start?.toISOString(),
          before: period.end?.toISOString(),
        }),
        config: services.config,
      }));
      const stats = teamStats(records, {
        period,
        maxEmbargoDays: config.maxEmbargoDays,
        now: new Date(),
      });
      const limits = {
        project: config.project,
        ackWithinHours: config.ackWithinHours,
        maxEmbargoDays: config.maxEmbargoDays,
      };
      if (opts.json) console.log(JSON.stringify(stats, null, 2));
      else if (opts.html) {
        const out = resolve(opts.html);
        await writeFile(out, statsHtmlPage(stats, limits), { flag: 'wx', mode: 0o600 }).catch(
          (err: NodeJS.ErrnoException) => {
            if (err.code !== 'EEXIST') throw err;
            throw new EmbargoError(
              'OUTPUT_EXISTS',
              `${out} exists already.`,
              'Choose another --html path, or remove that file.',
            );
          },
        );
        console.log(`Wrote the statistics of ${stats.reports} reports to ${out}.`);
      } else console.log(statsText(stats, limits));
    });
}
