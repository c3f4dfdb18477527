import { writeNewFile } from './new-output-file';
import type { Command } from 'commander';
import { caseIdArgument } from './case-id-argument';
import { EmbargoError } from '../../shared/errors';
import { KEPT_ATTACHMENTS_PREFIX } from '../../shared/outbound/oversized-attachments';
import { withServices } from './sessions/local-session';
import { CaseFileMissingError } from '../../shared/cases/case-files';

/**
 * `embargo file <case> <key> --out <file>`: fetches a case file, such as an attachment too
 * large to mail, whose key a maintainer copy or the case history gives.
 */
/** Where a person finds a case's file keys. */
const WHERE_KEYS = (caseId: string) =>
  `an attachment kept with the case is listed with its key in the maintainers' copy of that mail, a patch on the "file key:" line of \`npx embargo case ${caseId}\`.`;

export function addFileCli(program: Command): void {
  program
    .command('file')
    .argument('<id>', 'case id, e.g. SEC-2026-0001')
    .argument('<key>', 'the case file key, as the maintainer copy or `embargo case` shows it')
    .requiredOption('--out <file>', 'where to write it (must not exist yet; written mode 0600)')
    .description('fetch a file kept with a case (an attachment too large to mail, a patch)')
    .action(async (id: string, key: string, opts: { out: string }) => {
      const caseId = caseIdArgument(id);
      const ofCase = [`${caseId}/`, `${KEPT_ATTACHMENTS_PREFIX}${caseId}/`];
      if (!ofCase.some((p) => key.startsWith(p)) || key.split('/').includes('..'))
        throw new EmbargoError(
          'USAGE',
          `"${key}" is not a file of case ${caseId}.`,
          `Its key starts with "${caseId}/" or "${KEPT_ATTACHMENTS_PREFIX}${caseId}/"; ${WHERE_KEYS(caseId)}`,
        );
      const content = await withServices((services) => services.files.get(key)).catch(
        (err: unknown) => {
          if (!(err instanceof CaseFileMissingError)) throw err;
          throw new EmbargoError(
            'NOT_FOUND',
            `Case ${caseId} has no file "${key}".`,
            `Check the key: ${WHERE_KEYS(caseId)}`,
          );
        },
      );
      const out = await writeNewFile(opts.out, content);
      console.log(`Wrote ${content.length} bytes to ${out}.`);
    });
}
