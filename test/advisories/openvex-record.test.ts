import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { toOpenVex } from '../../shared/advisories/records/openvex-record';
import { full, minimal, type Json } from './record-checks';
import { sharedSchema } from './record-schemas';

const schema = sharedSchema('openvex_json_schema.json');
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
// ajv-formats has no `iri`; an IRI is checked here as an absolute URI-like reference.
ajv.addFormat('iri', /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/);
const validate = schema ? ajv.compile(schema) : undefined;

type Statement = { status: string; products: { '@id': string }[]; [k: string]: unknown };
function vex(...args: Parameters<typeof toOpenVex>): { statements: Statement[] } & Json {
  const doc = toOpenVex(...args);
  if (validate && !validate(doc)) throw new Error(JSON.stringify(validate.errors, null, 2));
  return doc as { statements: Statement[] } & Json;
}
const products = (doc: { statements: Statement[] }, status: string) =>
  doc.statements.filter((s) => s.status === status).flatMap((s) => s.products.map((p) => p['@id']));

const maybe = validate ? test : test.skip;

maybe('the schema rejects a statement without its justification', () => {
  const doc = vex(full, {
    notAffected: [{ versions: '<1.0', justification: 'vulnerable_code_not_present' }],
  });
  delete (doc.statements.find((s) => s.status === 'not_affected') as Json).justification;
  expect(validate!(doc)).toBe(false);
});

test('affected ranges as purls with a vers qualifier, fixed versions as purl@version', () => {
  const doc = vex(full);
  expect(doc['@context']).toBe('https://openvex.dev/ns/v0.2.0');
  expect(products(doc, 'affected')).toEqual([
    'pkg:pypi/cryptolib?vers=vers%3Apypi%2F%3E%3D1.0%7C%3C2.2.9',
    'pkg:pypi/cryptolib?vers=vers%3Apypi%2F%3E%3D2.3.0%7C%3C2.3.1',
  ]);
  expect(products(doc, 'fixed')).toEqual(['pkg:pypi/cryptolib@2.2.9', 'pkg:pypi/cryptolib@2.3.1']);
  const affected = doc.statements.find((s) => s.status === 'affected')!;
  expect(affected.action_statement).toBe('Update to 2.2.9 or 2.3.1.');
  expect(affected.vulnerability).toEqual(
    expect.objectContaining({ name: 'CVE-2026-12345', aliases: ['x_CRYPTOLIB-SEC-2026-0001'] }),
  );
});

test('not affected with the justification, read like /affected', () => {
  const doc = vex(full, {
    notAffected: [{ versions: '<1.0', justification: 'vulnerable_code_not_in_execute_path' }],
  });
  const statement = doc.statements.find((s) => s.status === 'not_affected')!;
  expect(statement.justification).toBe('vulnerable_code_not_in_execute_path');
  expect(products(doc, 'not_affected')).toEqual(['pkg:pypi/cryptolib?vers=vers%3Apypi%2F%3C1.0']);
});

test('under investigation while no affected version is known', () => {
  const doc = vex(minimal);
  expect(doc.statements.map((s) => s.status)).toEqual(['under_investigation']);
  expect(products(doc, 'under_investigation')).toEqual(['pkg:generic/cryptolib']);
  const unread = vex({ ...full, affected: 'the 2.x series on Windows', fixed: undefined });
  expect(unread.statements.map((s) => s.status)).toEqual(['under_investigation']);
  expect(unread.statements[0]!.status_notes).toContain('the 2.x series on Windows');
});

test('nothing fixed yet: the action says so', () => {
  const doc = vex({ ...full, affected: '>=1.0', fixed: undefined });
  expect(doc.statements.map((s) => s.status)).toEqual(['affected']);
  expect(doc.statements[0]!.action_statement).toMatch(/No fixed version/);
});
