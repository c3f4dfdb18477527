import { full, minimal, osv, affectedOf } from './record-checks';

describe('OSV export', () => {
  it('turns a full case into a valid record', () => {
    expect(osv(full)).toEqual({
      schema_version: '1.6.0',
      id: 'x_CRYPTOLIB-SEC-2026-0001',
      modified: '2026-03-02T08:30:00Z',
      published: '2026-03-01T12:00:00Z',
      aliases: ['CVE-2026-12345'],
      summary: 'Timing side channel in signature verification',
      details: full.advisory,
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'cryptolib' },
          ranges: [
            { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '2.2.9' }] },
            { type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.3.1' }] },
          ],
          database_specific: { affected: '>=1.0, <2.3.1', fixed: '2.3.1, 2.2.9' },
        },
      ],
      references: [
        {
          type: 'ADVISORY',
          url: 'https://github.com/example/cryptolib/security/advisories/GHSA-abcd-efgh-ijkl',
        },
        {
          type: 'FIX',
          url: 'https://github.com/example/cryptolib/commit/0123456789abcdef0123456789abcdef01234567',
        },
        { type: 'WEB', url: 'https://example.org/blog/timing' },
        { type: 'PACKAGE', url: 'https://github.com/example/cryptolib' },
      ],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N' }],
      credits: [
        {
          name: 'Alice Example (Example Corp)',
          contact: ['https://github.com/alice-example'],
          type: 'FINDER',
        },
      ],
      database_specific: { severity: 'high', cwe_ids: ['CWE-208'] },
    });
  });

  it('turns a minimal case into a valid record with a summary made from the case id', () => {
    expect(osv(minimal)).toEqual({
      schema_version: '1.6.0',
      id: 'x_CRYPTOLIB-SEC-2026-0002',
      modified: '2026-03-01T12:00:00Z',
      published: '2026-03-01T12:00:00Z',
      aliases: [],
      summary: 'cryptolib security advisory SEC-2026-0002',
    });
  });

  it('uses the local-database form x_<PROJECT>-<case> as the id and lists the CVE as an alias', () => {
    const record = osv({ ...minimal, cve: ' cve-2026-0042 ', project: 'my crypto_lib' });
    expect(record.id).toBe('x_MY-CRYPTO-LIB-SEC-2026-0002');
    expect(record.aliases).toEqual(['CVE-2026-0042']);
    expect(osv({ ...minimal, cve: 'CVE-pending' }).aliases).toEqual([]);
  });

  it('uses the prefix a project registered with OSV, which the official schema accepts', () => {
    expect(osv({ ...minimal, osvIdPrefix: 'CURL' }).id).toBe('CURL-SEC-2026-0002');
  });

  it('names the package in its ecosystem as the spec spells both', () => {
    const record = osv({ ...minimal, project: 'Crypto_Lib', ecosystem: 'pypi', fixed: '2.3.1' });
    expect(affectedOf(record).package).toEqual({ ecosystem: 'PyPI', name: 'crypto-lib' });
    expect(affectedOf(osv({ ...minimal, ecosystem: 'npm' })).package).toEqual({
      ecosystem: 'npm',
      name: 'cryptolib',
    });
  });

  it('keeps an ecosystem OSV does not define as text instead of a package', () => {
    const entry = affectedOf(osv({ ...minimal, ecosystem: 'Conda', affected: '<2.3.1' }));
    expect(entry.package).toBeUndefined();
    expect(entry.database_specific).toEqual({ affected: '<2.3.1', ecosystem: 'Conda' });
  });

  it('without an ecosystem, leaves out the package and uses SEMVER ranges only for SemVer', () => {
    const semver = affectedOf(osv({ ...minimal, affected: '>=1.0.0, <2.3.1' }));
    expect(semver.package).toBeUndefined();
    expect(semver.ranges).toEqual([
      { type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '2.3.1' }] },
    ]);

    const loose = affectedOf(osv({ ...minimal, affected: '>=1.0, <2.3.1' }));
    expect(loose.ranges).toBeUndefined();
    expect(loose.database_specific).toEqual({ affected: '>=1.0, <2.3.1' });
  });

  it('uses a GIT range on the repository when the fixed text is a commit id', () => {
    const commit = '0123456789abcdef0123456789abcdef01234567';
    const repo = 'https://github.com/example/cryptolib';
    const entry = affectedOf(osv({ ...minimal, fixed: commit, repositoryUrl: repo }));
    expect(entry.ranges).toEqual([
      { type: 'GIT', repo, events: [{ introduced: '0' }, { fixed: commit }] },
    ]);
    // Without a repository a commit id has nothing to be resolved against.
    expect(affectedOf(osv({ ...minimal, fixed: commit })).ranges).toBeUndefined();
  });

  it('keeps separate ranges for last_affected and fixed ends', () => {
    const entry = affectedOf(
      osv({ ...minimal, ecosystem: 'npm', affected: '1.0.0 - 1.4.2 || >=2.0.0 <2.3.1' }),
    );
    expect(entry.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.2' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }, { fixed: '2.3.1' }] },
    ]);
  });

  it('lists single affected versions in versions', () => {
    const entry = affectedOf(osv({ ...minimal, ecosystem: 'npm', affected: '2.3.0, 2.2.8' }));
    expect(entry.versions).toEqual(['2.3.0', '2.2.8']);
    expect(entry.ranges).toBeUndefined();
  });

  it('puts the severity word in database_specific and never a CVSS severity', () => {
    for (const severity of ['low', 'medium', 'high', 'critical'] as const) {
      const record = osv({ ...minimal, severity });
      expect(record.database_specific).toEqual({ severity });
      expect(record.severity).toBeUndefined();
    }
    expect(osv(minimal).database_specific).toBeUndefined();
  });

  it('credits the reporter as FINDER, and credits nobody without a credit', () => {
    expect(osv({ ...minimal, credits: [{ name: '  Bob  ', type: 'finder' }] }).credits).toEqual([
      { name: 'Bob', type: 'FINDER' },
    ]);
    expect(osv(minimal).credits).toBeUndefined();
    expect(osv({ ...minimal, credits: [{ name: '   ', type: 'finder' }] }).credits).toBeUndefined();
  });

  it('keeps http(s) references once each and drops what is not a URL', () => {
    const record = osv({
      ...minimal,
      references: [
        'https://example.org/a',
        'not a url',
        'javascript:alert(1)',
        ' https://example.org/a ',
        'https://github.com/example/cryptolib/issues/12',
      ],
    });
    expect(record.references).toEqual([
      { type: 'WEB', url: 'https://example.org/a' },
      { type: 'REPORT', url: 'https://github.com/example/cryptolib/issues/12' },
    ]);
  });
});

// --- CVE -------------------------------------------------------------------------------------
