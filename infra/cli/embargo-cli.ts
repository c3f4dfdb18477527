import { caseAsJson } from './output/case-json';
import { Command, CommanderError } from 'commander';
import { caseIdArgument } from './case-id-argument';
import { CaseNotFoundError, EmbargoError, errorMessage, errorReport } from '../../shared/errors';
import { caseDetails, casesTable, inboundTable } from './output/case-views';
import { addKeyCli } from './key-cli';
import { addMaintainerCli } from './maintainer-cli';

import { addDistributorCli } from './distributor-cli';
import { addDoctorCli } from './doctor/doctor-cli';
import { addExportCli } from './export-cli';
import { addFileCli } from './file-cli';
import { addRawCli } from './raw-cli';
import { withServices } from './sessions/local-session';
import { addTickCli } from './tick-cli';
import { addCommandCli } from './command-cli';
import { addStatsCli } from './stats-cli';
import { caseHtmlPage } from './output/case-page';
import { caseStatuses, type CaseStatus } from '../../shared/cases/case-record';

const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** Which statuses `cases` lists: open ones (all but closed) unless told otherwise. */
function selectStatuses(opts: { all?: boolean; status?: string }): readonly CaseStatus[] {
  if (opts.status) {
    const status = opts.status.toLowerCase() as CaseStatus;
    if (!caseStatuses.includes(status))
      throw new EmbargoError(
        'USAGE',
        `"${opts.status}" is not a case status.`,
        `Use one of ${caseStatuses.join(', ')}.`,
      );
    return [status];
  }
  return opts.all ? caseStatuses : caseStatuses.filter((s) => s !== 'closed');
}

export function buildCli(): Command {
  const program = new Command('embargo')
    .description(
      'Administer an Embargo security inbox (local mode: the data in EMBARGO_DATA_DIR, default .embargo)',
    )
    .showHelpAfterError();

  program
    .command('cases')
    .description('list open cases, newest first, with their acknowledgment deadlines')
    .option('--all', 'closed cases too')
    .option('--status <status>', `only cases with this status (${caseStatuses.join(', ')})`)
    .option('--json', 'print JSON instead of a table')
    .option('--wide', 'every column in full, however wide (default: fit COLUMNS, or 80)')
    .action(async (opts: { json?: boolean; all?: boolean; status?: string; wide?: boolean }) => {
      const selected = selectStatuses(opts);
      const all = await withServices((services) => services.cases.list());
      const records = all.filter((r) => selected.includes(r.status));
      if (opts.json) printJson(records.map(caseAsJson));
      else if (!records.length && all.length)
        console.log(
          `No ${opts.status ? `${opts.status.toLowerCase()}` : 'open'} cases (${all.length} in all: \`npx embargo cases --all\`).`,
        );
      else console.log(casesTable(records, new Date(), { wide: opts.wide }));
    });

  program
    .command('case')
    .argument('<id>', 'case id, e.g. SEC-2026-0001')
    .description('show one case and its event history')
    .option('--json', 'print JSON')
    .option('--html', 'print one self-contained HTML page: time line, schedule, audit chain')
    .action(async (id: string, opts: { json?: boolean; html?: boolean }) => {
      const caseId = caseIdArgument(id);
      const { record, config } = await withServices(async (services) => ({
        record: await services.cases.get(caseId),
        config: services.config,
      }));
      if (!record) throw new CaseNotFoundError(caseId);
      if (opts.json) printJson(caseAsJson(record));
      else if (opts.html) process.stdout.write(caseHtmlPage(record, config));
      else console.log(caseDetails(record, new Date(), config));
    });

  program
    .command('inbound')
    .description(
      'list every received message and what became of it (case, follow-up, duplicate, rejection and why)',
    )
    .option('--json', 'print JSON')
    .option('--wide', 'every column in full, however wide (default: fit COLUMNS, or 80)')
    .action(async (opts: { json?: boolean; wide?: boolean }) => {
      const records = await withServices((services) => services.ledger.list());
      if (opts.json) printJson(records);
      else console.log(inboundTable(records, { wide: opts.wide }));
    });

  addFileCli(program);
  addExportCli(program);
  addRawCli(program);
  addKeyCli(program);
  addMaintainerCli(program);
  addDistributorCli(program);
  addTickCli(program);
  addCommandCli(program);
  addStatsCli(program);
  addDoctorCli(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildCli().exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof EmbargoError) console.error(errorReport(err));
    else console.error(`embargo: ${errorMessage(err)}`);
    return 1;
  }
}
