import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../infra/cli/embargo-cli';
import { caseDetails } from '../../infra/cli/output/case-views';
import { withLocalServices } from '../../infra/cli/sessions/local-session';
import { csafProblems } from '../advisories/csaf-checks';
import { caseRecord } from '../support/case-builder';
import { testConfig } from '../support/local-stores';
import type { CaseRecord } from '../../shared/cases/case-record';
import { advisoryRecord, revisionsAfterDisclosure } from '../../shared/notices/advisory-records';
import { applyRecipientEvent } from '../../shared/distributors/recipient-events';

// `embargo export` against local mode's own stores, in a temporary data folder.
const dir = mkdtempSync(join(tmpdir(), 'embargo-export-'));
const fields = {
  title: 'Timing side channel',
  affected: '>=1.0, <2.3.1',
  fixed: '2.3.1',
  cve: 'CVE-2026-12345',
  advisory: 'The MAC check leaks timing.',
  notAffected: [{ versions: '<1.0', justification: 'vulnerable_code_not_present' as const }],
};

beforeAll(async () => {
  process.env.EMBARGO_DATA_DIR = join(dir, 'data');
  process.env.EMBARGO_CONFIG = '';
  await withLocalServices(
    async ({ services }) => {
      await services.cases.createIfAbsent(caseRecord('SEC-2026-0001', fields));
      await services.cases.createIfAbsent(caseRecord('SEC-2026-0002', { title: 'No CVE yet' }));
      // A signed /status from a distributor of the private list.
      const recipients = applyRecipientEvent(
        undefined,
        { email: 'security@debian.example', name: 'Debian' },
        {
          kind: 'status',
          at: '2026-02-20T10:00:00.000Z',
          round: '2026-02-15T00:00:00.000Z',
          value: 'fixed',
          detail: '2.3.1-1',
          authentication: { method: 'pgp-signature', fingerprint: 'ABCD' },
        },
      );
      await services.cases.createIfAbsent(caseRecord('SEC-2026-0003', { ...fields, recipients }));
    },
    undefined,
    { create: true },
  );
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exportTo = async (id: string, format: string, ...more: string[]) => {
  const out = join(dir, `${id}.${format}${more.join('')}.json`);
  const errors: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  const code = await runCli([
    'node',
    'embargo',
    'export',
    id,
    '--format',
    format,
    '--out',
    out,
    ...more,
  ]);
  spy.mockRestore();
  const said = log.mock.calls.map((c) => String(c[0]));
  log.mockRestore();
  return { code, out, errors, said };
};

test('writes a case record before D as a draft that validates', async () => {
  const { code, out } = await exportTo('SEC-2026-0001', 'csaf');
  expect(code).toBe(0);
  const csaf = JSON.parse(readFileSync(out, 'utf8'));
  expect(csaf.document.tracking.status).toBe('draft');
  expect(csaf.document.category).toBe('csaf_vex');
  expect(csafProblems([csaf])).toEqual([[]]);
  const vex = JSON.parse(readFileSync((await exportTo('SEC-2026-0001', 'openvex')).out, 'utf8'));
  expect(vex.statements.map((s: { status: string }) => s.status)).toEqual([
    'affected',
    'fixed',
    'not_affected',
  ]);
}, 120_000);

test("names distributors only in the maintainers' TLP:RED copy, when asked", async () => {
  const plain = await exportTo('SEC-2026-0003', 'csaf');
  expect(plain.code).toBe(0);
  expect(readFileSync(plain.out, 'utf8')).not.toContain('Debian');
  const red = await exportTo('SEC-2026-0003', 'csaf', '--include-distributors');
  expect(red.code).toBe(0);
  expect(red.said.join('\n')).toContain('TLP:RED: it names 1 distributor(s) of the private list');
  const csaf = JSON.parse(readFileSync(red.out, 'utf8'));
  expect(csaf.document.distribution.tlp.label).toBe('RED');
  expect(csaf.product_tree.branches.map((b: { name: string }) => b.name)).toContain('Debian');
  expect(csaf.vulnerabilities[0].product_status.fixed).toContain('CSAFPID-D001');
  expect(csafProblems([csaf])).toEqual([[]]);
  const osv = await exportTo('SEC-2026-0003', 'osv', '--include-distributors');
  expect(osv.code).toBe(1);
  expect(osv.errors.join('\n')).toContain('only the CSAF record carries');
}, 120_000);

test('says why there is no CVE record for a case without a CVE id', async () => {
  const { code, errors } = await exportTo('SEC-2026-0002', 'cve');
  expect(code).toBe(1);
  expect(errors.join('\n')).toContain('has no CVE id');
});

test('the case view lists each record: drafts to export before D, stored files after', () => {
  const before = caseDetails(caseRecord('SEC-2026-0001', fields));
  expect(before).toContain('Records     drafts until disclosure (not published)');
  expect(before).toContain('csaf    npx embargo export SEC-2026-0001 --format csaf');
  const after = caseDetails(
    caseRecord('SEC-2026-0001', { ...fields, disclosedAt: '2026-03-01T12:00:05.000Z' }),
  );
  expect(after).toContain('SEC-2026-0001/exports/SEC-2026-0001.openvex.json');
  expect(after).toContain('SEC-2026-0001/exports/CVE-2026-12345.cve.json');
});

test('a change to the advisory after D is a new revision; closing the case is not', () => {
  const disclosed = caseRecord('SEC-2026-0001', {
    ...fields,
    disclosedAt: '2026-03-01T12:00:05.000Z',
    history: [
      { id: 'd', at: '2026-03-01T12:00:05.000Z', type: 'disclosed', actor: 'x', summary: 'D' },
      {
        id: 'c1',
        at: '2026-03-04T09:00:00.000Z',
        type: 'commands-applied',
        actor: 'mia@example.org',
        summary: 'Commands: /fixed 2.3.1, 2.2.9',
        changes: ['fixed: 2.3.1 → 2.3.1, 2.2.9'],
      },
      {
        id: 'c2',
        at: '2026-03-05T09:00:00.000Z',
        type: 'commands-applied',
        actor: 'mia@example.org',
        summary: 'Commands: /close fixed',
        changes: ['status: disclosed → closed', 'resolution: (unset) → fixed'],
      },
    ],
  } as Partial<CaseRecord>);
  expect(revisionsAfterDisclosure(disclosed)).toEqual([
    { date: '2026-03-04T09:00:00Z', summary: 'Changed: fixed.' },
  ]);
  const csaf = JSON.parse(
    advisoryRecord(
      disclosed,
      testConfig,
      'csaf',
      new Date('2026-03-06T00:00:00Z'),
    )!.content.toString(),
  );
  expect(csaf.document.tracking.version).toBe('2');
  expect(csaf.document.tracking.status).toBe('final');
});

describe('embargo csaf-provider-metadata', () => {
  const run = async (args: string[]) => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    const code = await runCli(['node', 'embargo', 'csaf-provider-metadata', ...args]);
    spy.mockRestore();
    log.mockRestore();
    return { code, errors };
  };
  const URL_ = 'https://example.org/.well-known/csaf/provider-metadata.json';

  test('writes the provider metadata of a directory-based provider, naming the CSAF documents’ publisher', async () => {
    const out = join(dir, 'provider-metadata.json');
    const fingerprint = 'ABCD'.repeat(10);
    const { code } = await run([
      '--url',
      URL_,
      '--key-url',
      'https://example.org/.well-known/csaf/openpgp/project.asc',
      '--fingerprint',
      fingerprint,
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    const metadata = JSON.parse(readFileSync(out, 'utf8'));
    expect(metadata).toMatchObject({
      canonical_url: URL_,
      distributions: [{ directory_url: 'https://example.org/.well-known/csaf/' }],
      metadata_version: '2.0',
      role: 'csaf_provider',
      list_on_CSAF_aggregators: true,
      mirror_on_CSAF_aggregators: true,
      public_openpgp_keys: [{ fingerprint }],
    });
    expect(metadata.last_updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The publisher is the one the CSAF documents name (the standard wants them to agree).
    const record = caseRecord('SEC-2026-0001', fields);
    const csaf = JSON.parse(
      advisoryRecord(record, testConfig, 'csaf', new Date())!.content.toString(),
    );
    expect(metadata.publisher).toEqual(csaf.document.publisher);
    // The official provider schema is not among ../shared/schemas (only the document's is), and
    // csaf-validator-lib checks documents only: the fields above are what CSAF 2.0 7.1.7 requires.
  });

  test('refuses a URL that is not https or not provider-metadata.json', async () => {
    expect((await run(['--url', 'http://example.org/provider-metadata.json'])).code).not.toBe(0);
    const { errors } = await run(['--url', 'https://example.org/csaf/metadata.json']);
    expect(errors.join('\n')).toContain('must be named provider-metadata.json');
  });
});
