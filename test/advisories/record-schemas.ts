import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The official OSV and CVE schemas are not copied into this repository: they are read where they
 * come from, `../shared/schemas/` beside the checkout (CI has it; its README names each file's
 * upstream commit), or from OFFICIAL_SCHEMAS_DIR. Without them the schema checks are skipped, with
 * a message, and fail under CI.
 */
const schemaDir = resolve(
  process.env.OFFICIAL_SCHEMAS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'schemas'),
);
const FILES = { osv: 'osv-schema.json', cve: 'cve-record-format-5.bundled.json' } as const;

export const officialSchemasAvailable = Object.values(FILES).every((f) =>
  existsSync(join(schemaDir, f)),
);
export const officialSchemasWhere = `they are read from ${schemaDir} (the steering repository's shared/schemas beside the checkout; OFFICIAL_SCHEMAS_DIR names another folder)`;

let warned = false;
function compile(ajv: Ajv | Ajv2020, file: string): ValidateFunction | undefined {
  if (!officialSchemasAvailable) {
    if (process.env.CI)
      throw new Error(`The official schemas are missing in CI: ${officialSchemasWhere}.`);
    if (!warned)
      console.warn(
        `Not checking records against the official schemas, not found: ${officialSchemasWhere}.`,
      );
    warned = true;
    return undefined;
  }
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as object);
}

// strictTypes only prints advice about the upstream OSV schema; it changes no verdict.
const validateOsv = compile(new Ajv2020({ allErrors: true, strictTypes: false }), FILES.osv);
const validateCve = compile(new Ajv({ allErrors: true }), FILES.cve);

const describeErrors = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);

/**
 * What the official OSV schema finds wrong with a record; empty when it validates, or when the
 * schema is not on this machine (said once; see `officialSchemasAvailable`).
 */
export function osvSchemaProblems(record: unknown): string[] {
  if (!validateOsv) return [];
  return validateOsv(record) ? [] : describeErrors(validateOsv.errors);
}

/** What the official CVE Record Format 5 schema finds wrong with a record; as for OSV. */
export function cveSchemaProblems(record: unknown): string[] {
  if (!validateCve) return [];
  return validateCve(record) ? [] : describeErrors(validateCve.errors);
}

/**
 * Another official schema from the same folder (OpenVEX, say), parsed; undefined, with a message,
 * where the folder is absent, and an error under CI.
 */
export function sharedSchema(file: string): object | undefined {
  const path = join(schemaDir, file);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as object;
  if (process.env.CI) throw new Error(`${path} is missing in CI: ${officialSchemasWhere}.`);
  console.warn(`Skipped: ${file} is not here, ${officialSchemasWhere}.`);
  return undefined;
}
