import { toCsafDocument } from '../../shared/advisories/records/csaf-record';
import { csafProblems } from './csaf-checks';
import { full, minimal, scored, type Json } from './record-checks';

// Every document below is checked against the CSAF 2.0 schema and the mandatory tests (6.1) in
// one validator run (a child process: the library is ES modules only, and slow to load).
const CWE_NAMES = { 'CWE-208': 'Observable Timing Discrepancy' };
const DISTRIBUTORS = [
  { distributor: 'Debian', status: 'not-affected' as const, detail: 'built without the MAC code' },
  { distributor: 'Fedora', status: 'affected' as const },
  { distributor: 'Ubuntu', status: 'fixed' as const, detail: '2.2.8-0ubuntu1.1' },
];
const documents = {
  public: toCsafDocument(full, { cweNames: CWE_NAMES }),
  embargoed: toCsafDocument(full, { tlp: 'AMBER' }),
  draft: toCsafDocument(full, { draft: true }),
  minimal: toCsafDocument(minimal),
  revised: toCsafDocument(full, {
    revisions: [{ date: '2026-03-04T09:00:00Z', summary: 'Fixed version 2.2.9 added.' }],
  }),
  vex: toCsafDocument(full, {
    notAffected: [{ versions: '<1.0', justification: 'vulnerable_code_not_present' }],
  }),
  nothingFixed: toCsafDocument({ ...full, fixed: undefined, affected: '>=1.0' }),
  distributors: toCsafDocument(full, { distributors: DISTRIBUTORS }),
  // Nothing known about the project's versions yet, every status from distributors, RED.
  distributorsOnly: toCsafDocument(minimal, { distributors: DISTRIBUTORS, maintainersOnly: true }),
  distributorsAndVex: toCsafDocument(full, {
    distributors: DISTRIBUTORS,
    notAffected: [{ versions: '<1.0', justification: 'vulnerable_code_not_present' }],
  }),
  cvss4: toCsafDocument({
    ...full,
    cvss: scored('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'),
  }),
  // A broken one, to show the validator is not a rubber stamp.
  broken: (() => {
    const doc = toCsafDocument(full) as { vulnerabilities: Json[] };
    (doc.vulnerabilities[0]!.product_status as Json).known_affected = ['CSAFPID-9999'];
    return doc;
  })(),
};
const names = Object.keys(documents) as (keyof typeof documents)[];
let problems: Record<string, string[]>;
beforeAll(() => {
  const found = csafProblems(names.map((n) => documents[n]));
  problems = Object.fromEntries(names.map((n, i) => [n, found[i]!]));
}, 120_000);

const doc = (name: keyof typeof documents) =>
  documents[name] as { document: Json; product_tree: Json; vulnerabilities: Json[] };
const vuln = (name: keyof typeof documents) => doc(name).vulnerabilities[0]!;
const tracking = (name: keyof typeof documents) => doc(name).document.tracking as Json;

test.each(names.filter((n) => n !== 'broken'))(
  'the %s document passes the schema and the mandatory tests',
  (name) => {
    expect(problems[name]).toEqual([]);
  },
);

test('a product status naming no product fails the mandatory tests', () => {
  expect(problems.broken!.join('\n')).toMatch(/6_1_1\b/);
});

test('product status per version: affected ranges, fixed versions, a vers scheme', () => {
  const status = vuln('public').product_status as Record<string, string[]>;
  const branches = JSON.stringify(doc('public').product_tree);
  expect(branches).toContain('vers:pypi/>=1.0|<2.2.9');
  expect(branches).toContain('vers:pypi/>=2.3.0|<2.3.1');
  expect(status.known_affected).toHaveLength(2);
  expect(status.fixed).toHaveLength(2);
  expect(vuln('public').remediations).toEqual([
    expect.objectContaining({
      category: 'vendor_fix',
      details: 'Update to 2.2.9 or 2.3.1, or apply the fix.',
      product_ids: status.known_affected,
      url: 'https://github.com/example/cryptolib/commit/0123456789abcdef0123456789abcdef01234567',
    }),
  ]);
  expect(vuln('nothingFixed').remediations).toEqual([
    expect.objectContaining({ category: 'none_available' }),
  ]);
});

test('CVSS 3.1 as a score, CWE with its name, credits by type', () => {
  expect(vuln('public').scores).toEqual([
    expect.objectContaining({
      cvss_v3: expect.objectContaining({ baseScore: 7.4, baseSeverity: 'HIGH' }),
    }),
  ]);
  expect(vuln('public').cwe).toEqual({ id: 'CWE-208', name: 'Observable Timing Discrepancy' });
  // Without a name CSAF has no place for the id but a note.
  expect(vuln('embargoed').cwe).toBeUndefined();
  expect(JSON.stringify(vuln('embargoed').notes)).toContain('CWE-208');
  expect(vuln('public').acknowledgments).toEqual([
    {
      names: ['Alice Example (Example Corp)'],
      summary: 'finder',
      urls: ['https://github.com/alice-example'],
    },
  ]);
  expect(vuln('cvss4').scores).toBeUndefined();
  expect(JSON.stringify(vuln('cvss4').notes)).toContain('CVSS:4.0/');
});

test('only the embargoed copy carries a TLP label; a draft says so', () => {
  expect(doc('embargoed').document.distribution).toEqual(
    expect.objectContaining({ tlp: { label: 'AMBER', url: 'https://www.first.org/tlp/' } }),
  );
  expect(doc('public').document.distribution).toBeUndefined();
  expect(tracking('draft').status).toBe('draft');
  expect(tracking('public').status).toBe('final');
});

test('a change after D is a new revision, not a silent edit', () => {
  expect(tracking('revised')).toEqual(
    expect.objectContaining({
      version: '2',
      initial_release_date: '2026-03-01T12:00:00Z',
      current_release_date: '2026-03-04T09:00:00Z',
    }),
  );
  expect(tracking('revised').revision_history).toHaveLength(2);
});

test('statements of versions not affected make it a VEX document with the justification', () => {
  expect(doc('vex').document.category).toBe('csaf_vex');
  expect(doc('public').document.category).toBe('csaf_security_advisory');
  const status = vuln('vex').product_status as Record<string, string[]>;
  expect(status.known_not_affected).toHaveLength(1);
  expect(vuln('vex').flags).toEqual([
    { label: 'vulnerable_code_not_present', product_ids: status.known_not_affected },
  ]);
});

test("a distributor's status is a product of its own, under a vendor branch named for it", () => {
  expect(doc('distributors').document.category).toBe('csaf_vex');
  const tree = doc('distributors').product_tree as { branches: Json[] };
  expect(tree.branches.slice(1)).toEqual(
    ['Debian', 'Fedora', 'Ubuntu'].map((name, i) => ({
      category: 'vendor',
      name,
      branches: [
        {
          category: 'product_name',
          name: 'CryptoLib',
          product: {
            product_id: `CSAFPID-D00${i + 1}`,
            name: `${name} package of CryptoLib`,
          },
        },
      ],
    })),
  );
  const status = vuln('distributors').product_status as Record<string, string[]>;
  expect(status.known_affected).toContain('CSAFPID-D002');
  expect(status.fixed).toContain('CSAFPID-D003');
  expect(status.known_not_affected).toEqual(['CSAFPID-D001']);
  // CSAF 6.1.27.9: a not-affected product needs an impact statement; the distributor's words.
  expect(vuln('distributors').threats).toEqual([
    {
      category: 'impact',
      details: 'Debian states that its package is not affected: built without the MAC code',
      product_ids: ['CSAFPID-D001'],
    },
  ]);
  // 6.1.27.10: an affected product needs an action statement.
  expect(vuln('distributors').remediations).toEqual(
    expect.arrayContaining([
      {
        category: 'none_available',
        details: 'Fedora states that its package is affected.',
        product_ids: ['CSAFPID-D002'],
      },
      {
        category: 'vendor_fix',
        details: 'Ubuntu states that its package is fixed: 2.2.8-0ubuntu1.1',
        product_ids: ['CSAFPID-D003'],
      },
    ]),
  );
  // The maintainers' justification flags stay theirs; the distributors' are threats.
  expect(vuln('distributorsAndVex').flags).toHaveLength(1);
  expect(vuln('distributorsAndVex').threats).toHaveLength(1);
});

test("the maintainers' own copy is TLP:RED; the advance copy never takes distributors", () => {
  expect(doc('distributorsOnly').document.distribution).toEqual({
    text: expect.stringContaining('private advance-notification list'),
    tlp: { label: 'RED', url: 'https://www.first.org/tlp/' },
  });
  expect(tracking('distributorsOnly').status).toBe('final');
  expect(doc('distributors').document.distribution).toBeUndefined();
  expect(() => toCsafDocument(full, { tlp: 'AMBER', distributors: DISTRIBUTORS })).toThrow(
    /advance copy/,
  );
  expect(() => toCsafDocument(full, { tlp: 'AMBER', maintainersOnly: true })).toThrow(
    /advance copy/,
  );
});
