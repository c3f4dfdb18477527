import { writeNewFile } from './new-output-file';
import { Option, type Command } from 'commander';
import { caseIdArgument } from './case-id-argument';
import { CaseNotFoundError, EmbargoError } from '../../shared/errors';
import {
  advisoryRecord,
  recordFormats,
  type RecordFormat,
} from '../../shared/notices/advisory-records';
import { withServices } from './sessions/local-session';

/**
 * `embargo export <case> --format csaf|openvex|osv|cve [--out file]`: one record of any case, for
 * review before D (a draft then, never published) or to publish by hand after it.
 */
export function addExportCli(program: Command): void {
  program
    .command('export')
    .argument('<id>', 'case id, e.g. SEC-2026-0001')
    .addOption(
      new Option('--format <format>', 'which record').choices(recordFormats).makeOptionMandatory(),
    )
    .option('--out <file>', 'write it to this file (must not exist yet) instead of standard output')
    .description('write one advisory record of a case (before disclosure: a draft, for review)')
    .action(async (id: string, opts: { format: RecordFormat; out?: string }) => {
      const caseId = caseIdArgument(id);
      const { record, config } = await withServices(async (services) => ({
        record: await services.cases.get(caseId),
        config: services.config,
      }));
      if (!record) throw new CaseNotFoundError(caseId);
      const file = advisoryRecord(record, config, opts.format, new Date());
      if (!file)
        throw new EmbargoError(
          'NOT_FOUND',
          `Case ${caseId} has no CVE id, so it has no CVE record.`,
          'Set one with /cve CVE-YYYY-NNNN (or /cve request), or export another format.',
        );
      const draft = !record.disclosedAt;
      // The note goes to standard error, so that standard output stays the JSON alone.
      const note = draft
        ? `Draft: case ${caseId} is not disclosed; review it, do not publish it.`
        : `Case ${caseId} was disclosed ${record.disclosedAt}.`;
      if (!opts.out) {
        process.stdout.write(file.content);
        console.error(note);
        return;
      }
      const out = await writeNewFile(opts.out, file.content);
      console.log(`Wrote the ${opts.format} record of ${caseId} to ${out}. ${note}`);
    });
}
