import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * What the CSAF 2.0 schema test and the standard's mandatory tests (section 6.1), as
 * @secvisogram/csaf-validator-lib implements them, find wrong with each document; one empty list
 * per valid document. Runs in one child process per call (the library is ES modules only).
 */
export function csafProblems(documents: unknown[]): string[][] {
  const out = execFileSync(process.execPath, [join(__dirname, 'csaf-validate.mjs')], {
    input: JSON.stringify(documents),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as string[][];
}
