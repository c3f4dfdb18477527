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
import {
  canonicalUrlProblem,
  toCsafProviderMetadata,
} from '../../shared/advisories/records/csaf-provider-metadata';
import { distributorStatements } from '../../shared/distributors/distributor-statements';

/**
 * `embargo export <case> --format csaf|openvex|osv|cve [--out file]`: one record of any case, for
 * review before D (a draft then, never published) or to publish by hand after it.
 * `--include-distributors` (CSAF only): the maintainers' own copy, TLP:RED, with every
 * distributor's signed status; without it the CSAF names none (the public one, published on D,
 * names the consenting distributors: notice-service.ts).
 */
interface ExportOptions {
  format: RecordFormat;
  out?: string;
  includeDistributors?: boolean;
}

export function addExportCli(program: Command): void {
  program
    .command('export')
    .argument('<id>', 'case id, e.g. SEC-2026-0001')
    .addOption(
      new Option('--format <format>', 'which record').choices(recordFormats).makeOptionMandatory(),
    )
    .option('--out <file>', 'write it to this file (must not exist yet) instead of standard output')
    .option(
      '--include-distributors',
      "CSAF: the maintainers' own copy (TLP:RED) with every distributor's signed /status",
    )
    .description('write one advisory record of a case (before disclosure: a draft, for review)')
    .action(async (id: string, opts: ExportOptions) => {
      const caseId = caseIdArgument(id);
      if (opts.includeDistributors && opts.format !== 'csaf')
        throw new EmbargoError(
          'USAGE',
          `--include-distributors: only the CSAF record carries distributors' statuses, not ${opts.format}.`,
          'Use it with --format csaf, or leave it out.',
        );
      const { record, config } = await withServices(async (services) => ({
        record: await services.cases.get(caseId),
        config: services.config,
      }));
      if (!record) throw new CaseNotFoundError(caseId);
      const file = advisoryRecord(
        record,
        config,
        opts.format,
        new Date(),
        opts.includeDistributors
          ? { distributors: distributorStatements(record), maintainersOnly: true }
          : {},
      );
      if (!file)
        throw new EmbargoError(
          'NOT_FOUND',
          `Case ${caseId} has no CVE id, so it has no CVE record.`,
          'Set one with /cve CVE-YYYY-NNNN (or /cve request), or export another format.',
        );
      const draft = !record.disclosedAt;
      // The note goes to standard error, so that standard output stays the JSON alone.
      const named = opts.includeDistributors
        ? ` TLP:RED: it names ${distributorStatements(record).length} distributor(s) of the private list; for the maintainers only.`
        : '';
      const note =
        (draft
          ? `Draft: case ${caseId} is not disclosed; review it, do not publish it.`
          : `Case ${caseId} was disclosed ${record.disclosedAt}.`) + named;
      if (!opts.out) {
        process.stdout.write(file.content);
        console.error(note);
        return;
      }
      const out = await writeNewFile(opts.out, file.content);
      console.log(`Wrote the ${opts.format} record of ${caseId} to ${out}. ${note}`);
    });

  program
    .command('csaf-provider-metadata')
    .requiredOption(
      '--url <url>',
      'where the file will be served: https://<host>/.well-known/csaf/provider-metadata.json',
    )
    .option('--key-url <url>', "where the site serves the project's public OpenPGP key")
    .option('--fingerprint <hex>', "that key's fingerprint")
    .option('--out <file>', 'write it to this file (must not exist yet) instead of standard output')
    .description(
      "write a CSAF provider's provider-metadata.json for the project (docs/advisories.md)",
    )
    .action(async (opts: { url: string; keyUrl?: string; fingerprint?: string; out?: string }) => {
      const problem = canonicalUrlProblem(opts.url);
      if (problem)
        throw new EmbargoError(
          'USAGE',
          `--url: ${problem}.`,
          'Give the https URL the file will have.',
        );
      const config = await withServices(async (services) => services.config);
      const json = toCsafProviderMetadata({
        project: config.project,
        ...(config.repositoryUrl ? { repositoryUrl: config.repositoryUrl } : {}),
        canonicalUrl: opts.url,
        lastUpdated: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        ...(opts.keyUrl ? { publicKeyUrl: opts.keyUrl } : {}),
        ...(opts.fingerprint ? { fingerprint: opts.fingerprint.replace(/\s+/g, '') } : {}),
      });
      const content = Buffer.from(`${JSON.stringify(json, null, 2)}\n`);
      if (!opts.out) {
        process.stdout.write(content);
        return;
      }
      const out = await writeNewFile(opts.out, content);
      console.log(`Wrote provider-metadata.json for ${config.project} to ${out}.`);
    });
}
