import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

// The official schemas, copied into test/fixtures/schemas (their README names source and commit).
const schemaDir = join(__dirname, '..', 'fixtures', 'schemas');
const load = (file: string): object =>
  JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as object;

function compile(ajv: Ajv | Ajv2020, file: string): ValidateFunction {
  addFormats(ajv);
  return ajv.compile(load(file));
}

// strictTypes only prints advice about the upstream OSV schema; it changes no verdict.
const validateOsv = compile(
  new Ajv2020({ allErrors: true, strictTypes: false }),
  'osv-schema.json',
);
const validateCve = compile(new Ajv({ allErrors: true }), 'cve-record-format-5.bundled.json');

const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);

/** What the official OSV schema finds wrong with a record; empty when it validates. */
export function osvSchemaProblems(record: unknown): string[] {
  return validateOsv(record) ? [] : describe(validateOsv.errors);
}

/** What the official CVE Record Format 5 schema finds wrong with a record; empty when it validates. */
export function cveSchemaProblems(record: unknown): string[] {
  return validateCve(record) ? [] : describe(validateCve.errors);
}
