import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { PackageURL } from 'packageurl-js';
import semver from 'semver';
import type { AdvisoryExportInput } from '../../shared/advisories/advisory-input';
import { toCsafDocument } from '../../shared/advisories/records/csaf-record';
import { toCveRecord } from '../../shared/advisories/records/cve-record';
import { toOpenVex } from '../../shared/advisories/records/openvex-record';
import { toOsvRecord } from '../../shared/advisories/records/osv-record';
import { compareVersions } from '../../shared/advisories/version-ranges';
import type {
  DistributorVexStatement,
  NotAffectedStatement,
} from '../../shared/advisories/vex-statements';
import { csafProblems } from './csaf-checks';
import { osvAffects, type Json } from './osv-evaluation';
import { cveSchemaProblems, osvSchemaProblems, sharedSchema } from './record-schemas';

// Cases nobody wrote by hand: several version schemes, release lines with backports, nothing
// fixed yet, not-affected statements. Every record must validate, and OSV's evaluation, CSAF's
// product status and OpenVEX's statements must say the same about every version around them.

type Scheme = 'semver' | 'prerelease' | 'calver' | 'commits';
interface Generated {
  scheme: Scheme;
  input: AdvisoryExportInput;
  notAffected: NotAffectedStatement[];
  /** Versions to ask about (commit schemes: none, commits have no order without a history). */
  probes: string[];
}

/** Dotted numbers, and SemVer pre-releases: the orders the generated versions need. */
function order(a: string, b: string): number {
  const numeric = compareVersions(a, b);
  if (numeric !== undefined) return numeric;
  if (semver.valid(a) && semver.valid(b)) return semver.compare(a, b);
  throw new Error(`the test cannot order ${a} and ${b}`);
}

const hex = fc.stringMatching(/^[0-9a-f]{40}$/);

const numbered = (calendar: boolean): fc.Arbitrary<Generated> =>
  fc
    .record({
      major: calendar ? fc.integer({ min: 2024, max: 2026 }) : fc.integer({ min: 1, max: 3 }),
      line: fc.integer({ min: 0, max: 3 }),
      oldFix: fc.integer({ min: 1, max: 5 }),
      newFix: fc.integer({ min: 1, max: 5 }),
      fixes: fc.constantFrom('both', 'newest', 'none'),
      lower: fc.boolean(),
      vex: fc.boolean(),
    })
    .map(({ major, line, oldFix, newFix, fixes, lower, vex }) => {
      const older = `${major}.${line}`;
      const newer = `${major}.${line + 1}`;
      const fixed =
        fixes === 'both'
          ? `${newer}.${newFix}, ${older}.${oldFix}`
          : fixes === 'newest'
            ? `${newer}.${newFix}`
            : undefined;
      const affected = lower ? `>=${major}.0.0` : fixed ? `<${newer}.${newFix}` : '*';
      const probes: string[] = [];
      for (let x = major - 1; x <= major + 1; x++)
        for (let y = 0; y <= line + 2; y++)
          for (let z = 0; z <= 6; z++) probes.push(`${x}.${y}.${z}`);
      return {
        scheme: calendar ? 'calver' : 'semver',
        input: {
          ...base,
          affected,
          ...(fixed ? { fixed } : {}),
          releaseLines: [newer, older],
        },
        notAffected:
          lower && vex
            ? [{ versions: `<${major}.0.0`, justification: 'vulnerable_code_not_present' }]
            : [],
        probes,
      } satisfies Generated;
    });

const prerelease: fc.Arbitrary<Generated> = fc
  .record({ minor: fc.integer({ min: 0, max: 3 }), rc: fc.integer({ min: 1, max: 4 }) })
  .map(({ minor, rc }) => {
    const fix = `1.${minor}.0-rc.${rc}`;
    const probes = [
      `1.${minor}.0`,
      `0.9.0`,
      `1.${minor}.0-rc.${rc - 1}`,
      fix,
      `1.${minor}.0-rc.${rc + 1}`,
    ];
    if (minor > 0) probes.push(`1.${minor - 1}.5`);
    return {
      scheme: 'prerelease' as const,
      input: { ...base, affected: `>=0.9.0, <${fix}`, fixed: fix, releaseLines: [] },
      notAffected: [],
      probes: probes.filter((p) => semver.valid(p)),
    };
  });

const commits: fc.Arbitrary<Generated> = fc
  .tuple(hex, hex, fc.boolean())
  .filter(([a, b]) => a !== b)
  .map(([from, to, fixed]) => ({
    scheme: 'commits' as const,
    input: {
      ...base,
      affected: fixed ? `>=${from}, <${to}` : `>=${from}`,
      ...(fixed ? { fixed: to } : {}),
      repositoryUrl: 'https://github.com/example/cryptolib',
    },
    notAffected: [],
    probes: [],
  }));

const base: AdvisoryExportInput = {
  project: 'cryptolib',
  caseId: 'SEC-2026-0001',
  cve: 'CVE-2026-12345',
  title: 'Timing side channel',
  advisory: 'The MAC check leaks timing.',
  disclosureAt: '2026-03-01T12:00:00Z',
  modifiedAt: '2026-03-01T12:00:00Z',
  references: [],
  credits: [
    { name: 'Alice', type: 'finder' },
    { name: 'Bob', type: 'remediation_developer' },
  ],
};

const cases = fc.oneof(numbered(false), numbered(true), prerelease, commits);

type Status = 'affected' | 'fixed' | 'not_affected' | 'unknown';

/** Whether a VERS range ("vers:pypi/>=1.0|<2.3.1", "vers:semver/*") contains `version`. */
function versContains(vers: string, version: string): boolean | undefined {
  const match = /^vers:[a-z]+\/(.*)$/.exec(vers);
  if (!match) return undefined;
  if (match[1] === '*') return true;
  return match[1]!.split('|').every((c) => {
    const m = /^(>=|<=|<|>|=)?(.+)$/.exec(c)!;
    const d = order(version, m[2]!);
    return { '>=': d >= 0, '<=': d <= 0, '<': d < 0, '>': d > 0, '=': d === 0 }[m[1] ?? '='];
  });
}

/** CSAF: a product_version with this name, else the product_version_ranges that contain it. */
function csafStatus(doc: Json, version: string): Status[] {
  const status = (doc.vulnerabilities as Json[])[0]!.product_status as Record<string, string[]>;
  const of = (id: string): Status =>
    status.known_affected?.includes(id)
      ? 'affected'
      : status.fixed?.includes(id)
        ? 'fixed'
        : status.known_not_affected?.includes(id)
          ? 'not_affected'
          : 'unknown';
  const branches: Json[] = [];
  const walk = (b: Json) => {
    branches.push(b);
    for (const child of (b.branches as Json[] | undefined) ?? []) walk(child);
  };
  for (const b of (doc.product_tree as Json).branches as Json[]) walk(b);
  const id = (b: Json) => (b.product as Json).product_id as string;
  const exact = branches.filter((b) => b.category === 'product_version' && b.name === version);
  if (exact.length > 0) return exact.map((b) => of(id(b)));
  return branches
    .filter(
      (b) => b.category === 'product_version_range' && versContains(b.name as string, version),
    )
    .map((b) => of(id(b)));
}

/** OpenVEX: purl@version statements, else purls whose `vers` qualifier contains the version. */
function vexStatus(doc: Json, version: string): Status[] {
  const found: { exact: boolean; status: Status }[] = [];
  for (const statement of doc.statements as Json[]) {
    for (const product of statement.products as Json[]) {
      const purl = PackageURL.fromString(product['@id'] as string);
      const vers = purl.qualifiers?.vers;
      if (purl.version === version) found.push({ exact: true, status: statement.status as Status });
      else if (vers && versContains(vers, version))
        found.push({ exact: false, status: statement.status as Status });
    }
  }
  const exact = found.filter((f) => f.exact);
  return (exact.length > 0 ? exact : found).map((f) => f.status);
}

const openVexSchema = sharedSchema('openvex_json_schema.json');
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
ajv.addFormat('iri', /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/);
const validateOpenVex = openVexSchema ? ajv.compile(openVexSchema) : undefined;

/** Distributors' signed statuses: products of their own, which must not change the project's. */
const distributorStatuses: fc.Arbitrary<DistributorVexStatement[]> = fc.array(
  fc
    .record({
      distributor: fc.constantFrom('Debian', 'Fedora', 'SUSE', 'Alpine Linux'),
      status: fc.constantFrom('affected' as const, 'not-affected' as const, 'fixed' as const),
      detail: fc.option(fc.string({ minLength: 1, maxLength: 60 }), { nil: undefined }),
    })
    .map(({ detail, ...s }) => (detail ? { ...s, detail } : s)),
  { maxLength: 3 },
);

test('every record validates, and OSV, CSAF and OpenVEX agree about every version', () => {
  const documents: Json[] = [];
  fc.assert(
    fc.property(cases, distributorStatuses, (generated, distributors) => {
      const { input, notAffected, probes } = generated;
      const osv = toOsvRecord(input);
      expect(osvSchemaProblems(osv)).toEqual([]);
      expect(cveSchemaProblems(toCveRecord(input))).toEqual([]);
      const csaf = toCsafDocument(input, { notAffected, distributors });
      const vex = toOpenVex(input, { notAffected });
      if (validateOpenVex && !validateOpenVex(vex)) {
        throw new Error(JSON.stringify(validateOpenVex.errors));
      }
      documents.push(csaf);
      const entry = ((osv.affected as Json[] | undefined) ?? [])[0];
      if (generated.scheme === 'commits') {
        // Commits have no order here: the ranges name them, and CSAF and OpenVEX say affected.
        expect(JSON.stringify(entry?.ranges)).toContain('"GIT"');
        expect(csafStatus(csaf, 'x')).toEqual([]);
        expect((vex.statements as Json[]).map((s) => s.status)[0]).toBe('affected');
        return;
      }
      expect(entry?.ranges).toBeDefined();
      for (const version of probes) {
        const affected = osvAffects(entry!, version, order);
        const csafSays = csafStatus(csaf, version);
        const vexSays = vexStatus(vex, version);
        const what = `${version} with affected "${input.affected}", fixed "${input.fixed ?? ''}"`;
        if (affected) {
          expect({ what, csaf: csafSays, vex: vexSays }).toEqual({
            what,
            csaf: ['affected'],
            vex: ['affected'],
          });
        } else {
          // Not affected by OSV: no format may call it affected; a fixed version is fixed in both.
          expect({ what, csaf: csafSays.includes('affected') }).toEqual({ what, csaf: false });
          expect({ what, vex: vexSays.includes('affected') }).toEqual({ what, vex: false });
          expect(csafSays.includes('fixed')).toBe(vexSays.includes('fixed'));
          expect(csafSays.includes('not_affected')).toBe(vexSays.includes('not_affected'));
        }
      }
    }),
    { numRuns: 150 },
  );
  const problems = csafProblems(documents);
  expect(problems.filter((p) => p.length > 0)).toEqual([]);
}, 240_000);
