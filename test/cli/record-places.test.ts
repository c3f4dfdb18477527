import type { CaseRecord } from '../../shared/cases/case-record';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import { caseHtmlPage } from '../../infra/cli/output/case-page';
import { caseDetails } from '../../infra/cli/output/case-views';
import { recordPlaces } from '../../infra/cli/output/record-places';
import { caseRecord } from '../support/case-builder';

const config: EmbargoConfig = {
  ...defaultConfigFile,
  project: 'cryptolib',
  ossSecurity: 'oss-security@lists.example',
  ossSecurityPost: 'send',
  github: { repository: 'example/cryptolib', apiBaseUrl: 'https://api.github.com' },
  osv: { repository: 'example/cryptolib', folder: 'osv' },
};
const GHSA = 'https://github.com/example/cryptolib/security/advisories/GHSA-0001-test-embg';
const COMMIT = `https://github.com/example/cryptolib/commit/${'c'.repeat(40)}`;
const fields: Partial<CaseRecord> = {
  title: 'Heap overflow',
  advisory: 'The parser overflows.',
  cve: 'CVE-2026-1234',
  disclosureAt: '2026-12-05T12:00:00.000Z',
  ghsa: { ghsaId: 'GHSA-0001-test-embg', url: GHSA },
};
const disclosed: Partial<CaseRecord> = {
  ...fields,
  status: 'disclosed',
  disclosedAt: '2026-12-05T12:00:02.000Z',
  ghsa: { ghsaId: 'GHSA-0001-test-embg', url: GHSA, publishedAt: '2026-12-05T12:00:04.000Z' },
  osvCommit: {
    repository: 'example/cryptolib',
    path: 'osv/x_CRYPTOLIB-SEC-2026-0001.json',
    commitSha: 'c'.repeat(40),
    commitUrl: COMMIT,
    publishedAt: '2026-12-05T12:00:05.000Z',
  },
  ossSecurityPost: {
    to: 'oss-security@lists.example',
    subject: 'CVE-2026-1234: cryptolib: Heap overflow',
    sentAt: '2026-12-05T12:00:06.000Z',
  },
};
const where = (record: CaseRecord) =>
  Object.fromEntries(recordPlaces(record, config).map((p) => [p.name, p.where]));

describe('where the records of a case are', () => {
  it('before D: every record a draft, never published, and where each goes on D', () => {
    const places = where(caseRecord('SEC-2026-0001', fields));
    expect(Object.keys(places)).toEqual([
      'notice',
      'osv',
      'cve',
      'csaf',
      'openvex',
      'ghsa',
      'oss-sec',
    ]);
    for (const text of Object.values(places).filter((t) => !t.startsWith('npx embargo export')))
      expect(text).toMatch(/^draft \(not published\)/);
    expect(places.osv).toContain('committed to example/cryptolib on the disclosure date');
    expect(places.ghsa).toBe(`draft (not published): ${GHSA}`);
    expect(places['oss-sec']).toContain('Embargo posts it to oss-security@lists.example');
  });

  it('after D: the URL, the commit and the mail each went to', () => {
    const places = where(caseRecord('SEC-2026-0001', disclosed));
    expect(places.notice).toBe('mailed to announce@example.org on 2026-12-05 12:00Z');
    expect(places.osv).toBe(
      `committed to example/cryptolib (osv/x_CRYPTOLIB-SEC-2026-0001.json): ${COMMIT}; SEC-2026-0001/exports/SEC-2026-0001.osv.json`,
    );
    expect(places.csaf).toBe('SEC-2026-0001/exports/SEC-2026-0001.csaf.json');
    expect(places.ghsa).toBe(`published on 2026-12-05 12:00Z: ${GHSA}`);
    expect(places['oss-sec']).toBe(
      'posted to oss-security@lists.example on 2026-12-05 12:00Z: CVE-2026-1234: cryptolib: Heap overflow',
    );
  });

  it('after D, says what was not published', () => {
    const { osvCommit: _o, ossSecurityPost: _p, ...rest } = disclosed;
    const places = where(caseRecord('SEC-2026-0001', rest));
    expect(places.osv).toMatch(/^NOT committed to example\/cryptolib \(see the history\)/);
    expect(places['oss-sec']).toBe('NOT posted to oss-security@lists.example (see the history)');
  });

  it('with `csaf`: the CSAF document in the provider directory, its version and URL', () => {
    const withCsaf: EmbargoConfig = {
      ...config,
      csaf: {
        repository: 'example/cryptolib',
        folder: 'csaf',
        baseUrl: 'https://example.github.io/cryptolib/csaf/',
      },
    };
    const at = (fields: Partial<CaseRecord>) =>
      recordPlaces(caseRecord('SEC-2026-0001', fields), withCsaf).find((p) => p.name === 'csaf')!
        .where;
    expect(at(fields)).toBe(
      'draft (not published): published in the CSAF provider directory of example/cryptolib on the disclosure date; npx embargo export SEC-2026-0001 --format csaf',
    );
    expect(at(disclosed)).toMatch(/^NOT published in the CSAF provider directory/);
    const url = 'https://example.github.io/cryptolib/csaf/2026/sec-2026-0001.json';
    expect(
      at({
        ...disclosed,
        csafDirectory: {
          repository: 'example/cryptolib',
          path: 'csaf/2026/sec-2026-0001.json',
          url,
          version: '2',
          documentDigest: 'd'.repeat(64),
          commitUrls: [COMMIT],
          publishedAt: '2026-12-05T12:00:05.000Z',
        },
      }),
    ).toBe(
      `published in the CSAF provider directory of example/cryptolib (version 2): ${url}; SEC-2026-0001/exports/SEC-2026-0001.csaf.json`,
    );
  });

  it('shows them in `embargo case` and on the case page', () => {
    const record = caseRecord('SEC-2026-0001', disclosed);
    const text = caseDetails(record, new Date(), config);
    expect(text).toMatch(/^ {12}ghsa {4}published on 2026-12-05 12:00Z:/m);
    expect(text).toContain(COMMIT);
    const page = caseHtmlPage(record, config);
    expect(page).toContain('<h2>Records</h2>');
    expect(page).toContain(
      `<tr><th>ghsa</th><td>published on 2026-12-05 12:00Z: ${GHSA}</td></tr>`,
    );
    expect(page).toContain(COMMIT);
  });
});
