import type { AdvisoryExportInput } from '../../shared/advisories/advisory-input';
import { toCveRecord } from '../../shared/advisories/records/cve-record';
import { toOsvRecord } from '../../shared/advisories/records/osv-record';
import type { CvssScore } from '../../shared/advisories/cvss-score';
import { parseCvssVector } from '../../shared/advisories/cvss-vector';
import { cveSchemaProblems, osvSchemaProblems } from './record-schemas';

// Records are checked against the official schemas (../shared/schemas) by record-schemas.ts.

export type Json = Record<string, unknown>;

/** A vector as `/cvss` stores it, scored by the library. */
export function scored(vector: string): CvssScore {
  const parsed = parseCvssVector(vector);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.cvss;
}

// --- Inputs ----------------------------------------------------------------------------------

export const ORG_ID = '8254265b-2729-46b6-b9e3-3dfca2d5bfca';

export const full: AdvisoryExportInput = {
  project: 'CryptoLib',
  caseId: 'SEC-2026-0001',
  cve: 'CVE-2026-12345',
  title: 'Timing side channel in\nsignature verification',
  advisory:
    'The signature check compares MACs with a non-constant-time loop.\n\nAn attacker who can time responses can forge signatures.',
  severity: 'high',
  affected: '>=1.0, <2.3.1',
  fixed: '2.3.1, 2.2.9',
  credits: [{ name: 'Alice Example (Example Corp)', type: 'finder', github: 'alice-example' }],
  cvss: scored('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N'),
  cwes: ['CWE-208'],
  releaseLines: ['2.3', '2.2'],
  disclosureAt: '2026-03-01T12:00:00Z',
  modifiedAt: '2026-03-02T08:30:00Z',
  references: [
    'https://github.com/example/cryptolib/security/advisories/GHSA-abcd-efgh-ijkl',
    'https://github.com/example/cryptolib/commit/0123456789abcdef0123456789abcdef01234567',
    'https://example.org/blog/timing',
  ],
  vendor: 'Example Foundation',
  ecosystem: 'PyPI',
  repositoryUrl: 'https://github.com/example/cryptolib',
  cveAssignerOrgId: ORG_ID,
};

export const minimal: AdvisoryExportInput = {
  project: 'cryptolib',
  caseId: 'SEC-2026-0002',
  disclosureAt: '2026-03-01T12:00:00Z',
  modifiedAt: '2026-03-01T12:00:00Z',
  references: [],
};

export function osv(input: AdvisoryExportInput): Json {
  const record = toOsvRecord(input);
  expect(osvSchemaProblems(record)).toEqual([]);
  return record;
}

export function cve(input: AdvisoryExportInput): Json {
  const record = toCveRecord(input);
  if (!record) throw new Error('expected a CVE record');
  expect(cveSchemaProblems(record)).toEqual([]);
  return record;
}

export function affectedOf(record: Json): Json {
  const [entry] = record.affected as Json[];
  if (!entry) throw new Error('expected an affected entry');
  return entry;
}

export function cnaOf(record: Json): Json {
  return (record.containers as { cna: Json }).cna;
}

export function productOf(record: Json): Json {
  const [product] = cnaOf(record).affected as Json[];
  if (!product) throw new Error('expected an affected product');
  return product;
}

// --- OSV -------------------------------------------------------------------------------------
