import fc from 'fast-check';
import {
  CVE_PLACEHOLDER_ORG_ID,
  OSV_ECOSYSTEMS,
  compareVersions,
  normalizeEcosystem,
  parseAffectedVersions,
  parseFixedVersions,
  planVersions,
  toCveRecord,
  toOsvRecord,
  type AdvisoryExportInput,
} from '../../shared/advisories/advisory-exports';

// No npm package ships the OSV or CVE JSON schemas, so the checks below transcribe the rules of
// the official schemas by hand: OSV 1.6.x (spec 1.6.6, validation/schema.json) and CVE Record
// Format 5.1 (CVE_Record_Format.json). They cover every field the exports write.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const codePoints = (text: string): number => Array.from(text).length;
const isUri = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
};
const unique = (items: unknown[]): boolean =>
  new Set(items.map((item) => JSON.stringify(item))).size === items.length;

class Problems {
  readonly list: string[] = [];
  check(ok: boolean, message: string): void {
    if (!ok) this.list.push(message);
  }
  keys(value: Json, allowed: string[], where: string, extra?: RegExp): void {
    for (const key of Object.keys(value)) {
      this.check(
        allowed.includes(key) || (extra?.test(key) ?? false),
        `${where}: unexpected ${key}`,
      );
    }
  }
  text(value: unknown, where: string, min: number, max: number): void {
    this.check(
      typeof value === 'string' && codePoints(value) >= min && codePoints(value) <= max,
      `${where}: want a string of ${min}..${max} characters, got ${JSON.stringify(value)}`,
    );
  }
}

// --- OSV 1.6.x -------------------------------------------------------------------------------

const OSV_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const OSV_ECOSYSTEM = new RegExp(
  `^(?:${OSV_ECOSYSTEMS.map((e) => e.replace(/[.]/g, '\\.')).join('|')})(?::.+)?$`,
);
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const OSV_EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'];
const OSV_REFERENCE_TYPES = [
  'ADVISORY',
  'ARTICLE',
  'DETECTION',
  'DISCUSSION',
  'REPORT',
  'FIX',
  'INTRODUCED',
  'GIT',
  'PACKAGE',
  'EVIDENCE',
  'WEB',
];
const OSV_CREDIT_TYPES = [
  'FINDER',
  'REPORTER',
  'ANALYST',
  'COORDINATOR',
  'REMEDIATION_DEVELOPER',
  'REMEDIATION_REVIEWER',
  'REMEDIATION_VERIFIER',
  'TOOL',
  'SPONSOR',
  'OTHER',
];

function osvRangeProblems(p: Problems, range: unknown, where: string): void {
  if (!isObject(range)) return p.check(false, `${where}: not an object`);
  p.keys(range, ['type', 'repo', 'events', 'database_specific'], where);
  p.check(['GIT', 'SEMVER', 'ECOSYSTEM'].includes(range.type as string), `${where}.type`);
  if (range.type === 'GIT') p.check(isUri(range.repo), `${where}: GIT ranges need a repo`);
  const events = range.events;
  if (!Array.isArray(events) || events.length === 0) {
    return p.check(false, `${where}.events: want a non-empty array`);
  }
  for (const [i, event] of events.entries()) {
    const keys = isObject(event) ? Object.keys(event) : [];
    p.check(
      keys.length === 1 && OSV_EVENT_KEYS.includes(keys[0] ?? ''),
      `${where}.events[${i}]: want exactly one of ${OSV_EVENT_KEYS.join(', ')}`,
    );
    const value = isObject(event) ? Object.values(event)[0] : undefined;
    p.check(typeof value === 'string' && value !== '', `${where}.events[${i}]: want a version`);
    if (range.type === 'SEMVER' && value !== '0') {
      p.check(SEMVER.test(String(value)), `${where}.events[${i}]: not SemVer: ${value}`);
    }
    if (range.type === 'GIT' && value !== '0') {
      p.check(COMMIT.test(String(value)), `${where}.events[${i}]: not a commit: ${value}`);
    }
  }
  const has = (key: string) => events.some((e) => isObject(e) && key in e);
  p.check(has('introduced'), `${where}: events need an introduced event`);
  p.check(!(has('fixed') && has('last_affected')), `${where}: fixed and last_affected together`);
}

function osvProblems(record: Json): string[] {
  const p = new Problems();
  p.keys(
    record,
    [
      'schema_version',
      'id',
      'modified',
      'published',
      'withdrawn',
      'aliases',
      'related',
      'summary',
      'details',
      'severity',
      'affected',
      'references',
      'credits',
      'database_specific',
    ],
    'osv',
  );
  p.check(SEMVER.test(String(record.schema_version)), 'schema_version: want a SemVer string');
  p.check(
    typeof record.id === 'string' && /^[A-Za-z0-9]+-[A-Za-z0-9.-]*[A-Za-z0-9]$/.test(record.id),
    `id: want <DB>-<ENTRYID>, got ${JSON.stringify(record.id)}`,
  );
  for (const field of ['modified', 'published']) {
    const value = record[field];
    p.check(
      (field !== 'modified' && value === undefined) ||
        (typeof value === 'string' &&
          OSV_TIMESTAMP.test(value) &&
          !Number.isNaN(Date.parse(value))),
      `${field}: want an RFC 3339 UTC timestamp, got ${JSON.stringify(value)}`,
    );
  }
  if (record.aliases !== undefined) {
    p.check(
      Array.isArray(record.aliases) && record.aliases.every((a) => typeof a === 'string'),
      'aliases: want strings',
    );
  }
  if (record.summary !== undefined) {
    p.check(
      typeof record.summary === 'string' && !/[\r\n]/.test(record.summary),
      'summary: want one line',
    );
  }
  if (record.details !== undefined) p.check(typeof record.details === 'string', 'details');
  if (record.affected !== undefined) {
    if (!Array.isArray(record.affected)) p.check(false, 'affected: want an array');
    for (const [i, entry] of (Array.isArray(record.affected) ? record.affected : []).entries()) {
      const where = `affected[${i}]`;
      if (!isObject(entry)) {
        p.check(false, `${where}: not an object`);
        continue;
      }
      p.keys(
        entry,
        ['package', 'severity', 'ranges', 'versions', 'ecosystem_specific', 'database_specific'],
        where,
      );
      if (entry.package !== undefined) {
        const pkg = entry.package;
        p.check(
          isObject(pkg) &&
            typeof pkg.ecosystem === 'string' &&
            OSV_ECOSYSTEM.test(pkg.ecosystem) &&
            typeof pkg.name === 'string' &&
            pkg.name !== '',
          `${where}.package: want a defined ecosystem and a name, got ${JSON.stringify(pkg)}`,
        );
        if (isObject(pkg)) p.keys(pkg, ['ecosystem', 'name', 'purl'], `${where}.package`);
      }
      if (entry.ranges !== undefined) {
        if (!Array.isArray(entry.ranges)) p.check(false, `${where}.ranges: want an array`);
        for (const [j, range] of (Array.isArray(entry.ranges) ? entry.ranges : []).entries()) {
          osvRangeProblems(p, range, `${where}.ranges[${j}]`);
        }
      }
      if (entry.versions !== undefined) {
        p.check(
          Array.isArray(entry.versions) && entry.versions.every((v) => typeof v === 'string'),
          `${where}.versions: want strings`,
        );
      }
      for (const key of ['ecosystem_specific', 'database_specific']) {
        if (entry[key] !== undefined)
          p.check(isObject(entry[key]), `${where}.${key}: want an object`);
      }
    }
  }
  if (record.references !== undefined) {
    for (const [i, ref] of (Array.isArray(record.references)
      ? record.references
      : [null]
    ).entries()) {
      p.check(
        isObject(ref) && OSV_REFERENCE_TYPES.includes(ref.type as string) && isUri(ref.url),
        `references[${i}]: want {type, url}, got ${JSON.stringify(ref)}`,
      );
      if (isObject(ref)) p.keys(ref, ['type', 'url'], `references[${i}]`);
    }
  }
  if (record.credits !== undefined) {
    for (const [i, credit] of (Array.isArray(record.credits) ? record.credits : [null]).entries()) {
      p.check(
        isObject(credit) &&
          typeof credit.name === 'string' &&
          (credit.type === undefined || OSV_CREDIT_TYPES.includes(credit.type as string)),
        `credits[${i}]: want {name, type?}, got ${JSON.stringify(credit)}`,
      );
    }
  }
  if (record.database_specific !== undefined) {
    p.check(isObject(record.database_specific), 'database_specific: want an object');
  }
  return p.list;
}

// --- CVE Record Format 5.1 -------------------------------------------------------------------

const CVE_TIMESTAMP =
  /^(?:19|2\d)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;
const UUID_V4 =
  /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;
const LANGUAGE = /^[A-Za-z]{2,4}([_-][A-Za-z]{4})?([_-]([A-Za-z]{2}|[0-9]{3}))?$/;
const ENGLISH = /^en([_-][A-Za-z]{4})?([_-]([A-Za-z]{2}|[0-9]{3}))?$/;
const STATUSES = ['affected', 'unaffected', 'unknown'];
const CVE_CREDIT_TYPES = [
  'finder',
  'reporter',
  'analyst',
  'coordinator',
  'remediation developer',
  'remediation reviewer',
  'remediation verifier',
  'tool',
  'sponsor',
  'other',
];

function cveArray(p: Problems, value: unknown, where: string, max = Infinity): unknown[] {
  const ok = Array.isArray(value) && value.length >= 1 && value.length <= max && unique(value);
  p.check(ok, `${where}: want a non-empty array of unique items`);
  return Array.isArray(value) ? value : [];
}

function cveVersionProblems(p: Problems, entry: unknown, where: string): void {
  if (!isObject(entry)) return p.check(false, `${where}: not an object`);
  p.keys(
    entry,
    ['version', 'status', 'versionType', 'lessThan', 'lessThanOrEqual', 'changes'],
    where,
  );
  p.text(entry.version, `${where}.version`, 1, 1024);
  p.check(STATUSES.includes(entry.status as string), `${where}.status`);
  if (entry.versionType !== undefined) p.text(entry.versionType, `${where}.versionType`, 1, 128);
  for (const bound of ['lessThan', 'lessThanOrEqual']) {
    if (entry[bound] !== undefined) p.text(entry[bound], `${where}.${bound}`, 1, 1024);
  }
  const size = Object.keys(entry).length;
  const has = (key: string) => entry[key] !== undefined;
  const branches = [
    has('version') && has('status') && size <= 2,
    has('version') && has('status') && has('versionType') && size <= 3,
    has('version') && has('status') && has('versionType') && has('lessThan'),
    has('version') && has('status') && has('versionType') && has('lessThanOrEqual'),
  ];
  p.check(
    branches.filter(Boolean).length === 1,
    `${where}: must match exactly one version form, got ${JSON.stringify(entry)}`,
  );
}

function cveProductProblems(p: Problems, product: unknown, where: string): void {
  if (!isObject(product)) return p.check(false, `${where}: not an object`);
  p.keys(
    product,
    [
      'vendor',
      'product',
      'collectionURL',
      'packageName',
      'cpes',
      'modules',
      'programFiles',
      'programRoutines',
      'platforms',
      'repo',
      'defaultStatus',
      'versions',
    ],
    where,
  );
  p.check(
    (product.vendor !== undefined && product.product !== undefined) ||
      (product.collectionURL !== undefined && product.packageName !== undefined),
    `${where}: want vendor and product, or collectionURL and packageName`,
  );
  p.check(
    product.versions !== undefined || product.defaultStatus !== undefined,
    `${where}: want versions or defaultStatus`,
  );
  if (product.vendor !== undefined) p.text(product.vendor, `${where}.vendor`, 1, 512);
  if (product.product !== undefined) p.text(product.product, `${where}.product`, 1, 2048);
  if (product.packageName !== undefined)
    p.text(product.packageName, `${where}.packageName`, 1, 2048);
  for (const key of ['collectionURL', 'repo']) {
    if (product[key] !== undefined) p.check(isUri(product[key]), `${where}.${key}: want a URI`);
  }
  if (product.defaultStatus !== undefined) {
    p.check(STATUSES.includes(product.defaultStatus as string), `${where}.defaultStatus`);
  }
  if (product.versions !== undefined) {
    for (const [i, entry] of cveArray(p, product.versions, `${where}.versions`).entries()) {
      cveVersionProblems(p, entry, `${where}.versions[${i}]`);
    }
  }
}

function cveProblems(record: Json): string[] {
  const p = new Problems();
  p.keys(record, ['dataType', 'dataVersion', 'cveMetadata', 'containers'], 'cve');
  p.check(record.dataType === 'CVE_RECORD', 'dataType');
  p.check(
    /^5\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?$/.test(String(record.dataVersion)),
    'dataVersion',
  );

  const meta = record.cveMetadata;
  if (!isObject(meta)) p.check(false, 'cveMetadata: want an object');
  else {
    p.keys(
      meta,
      [
        'cveId',
        'assignerOrgId',
        'assignerShortName',
        'requesterUserId',
        'dateUpdated',
        'serial',
        'dateReserved',
        'datePublished',
        'state',
      ],
      'cveMetadata',
    );
    p.check(/^CVE-[0-9]{4}-[0-9]{4,19}$/.test(String(meta.cveId)), 'cveMetadata.cveId');
    p.check(UUID_V4.test(String(meta.assignerOrgId)), 'cveMetadata.assignerOrgId: want a UUID');
    p.check(meta.state === 'PUBLISHED', 'cveMetadata.state');
    for (const key of ['dateUpdated', 'dateReserved', 'datePublished']) {
      if (meta[key] !== undefined) {
        p.check(CVE_TIMESTAMP.test(String(meta[key])), `cveMetadata.${key}: want a timestamp`);
      }
    }
  }

  const containers = record.containers;
  if (!isObject(containers) || !isObject(containers.cna)) {
    p.check(false, 'containers.cna: want an object');
    return p.list;
  }
  p.keys(containers, ['cna', 'adp'], 'containers');
  const cna = containers.cna;
  p.keys(
    cna,
    [
      'providerMetadata',
      'dateAssigned',
      'datePublic',
      'title',
      'descriptions',
      'affected',
      'problemTypes',
      'references',
      'impacts',
      'metrics',
      'configurations',
      'workarounds',
      'solutions',
      'exploits',
      'timeline',
      'credits',
      'source',
      'tags',
      'taxonomyMappings',
    ],
    'cna',
    /^x_[^.]*$/,
  );
  const provider = cna.providerMetadata;
  if (!isObject(provider)) p.check(false, 'cna.providerMetadata: want an object');
  else {
    p.keys(provider, ['orgId', 'shortName', 'dateUpdated'], 'cna.providerMetadata');
    p.check(UUID_V4.test(String(provider.orgId)), 'cna.providerMetadata.orgId: want a UUID');
    if (provider.dateUpdated !== undefined) {
      p.check(CVE_TIMESTAMP.test(String(provider.dateUpdated)), 'providerMetadata.dateUpdated');
    }
  }
  for (const key of ['dateAssigned', 'datePublic']) {
    if (cna[key] !== undefined) p.check(CVE_TIMESTAMP.test(String(cna[key])), `cna.${key}`);
  }
  if (cna.title !== undefined) p.text(cna.title, 'cna.title', 1, 256);

  const descriptions = cveArray(p, cna.descriptions, 'cna.descriptions');
  for (const [i, d] of descriptions.entries()) {
    if (!isObject(d)) {
      p.check(false, `cna.descriptions[${i}]: not an object`);
      continue;
    }
    p.keys(d, ['lang', 'value', 'supportingMedia'], `cna.descriptions[${i}]`);
    p.check(LANGUAGE.test(String(d.lang)), `cna.descriptions[${i}].lang`);
    p.text(d.value, `cna.descriptions[${i}].value`, 1, 4096);
  }
  p.check(
    descriptions.some((d) => isObject(d) && ENGLISH.test(String(d.lang))),
    'cna.descriptions: want an English description',
  );

  for (const [i, product] of cveArray(p, cna.affected, 'cna.affected').entries()) {
    cveProductProblems(p, product, `cna.affected[${i}]`);
  }
  for (const [i, ref] of cveArray(p, cna.references, 'cna.references', 512).entries()) {
    const where = `cna.references[${i}]`;
    if (!isObject(ref)) {
      p.check(false, `${where}: not an object`);
      continue;
    }
    p.keys(ref, ['url', 'name', 'tags'], where);
    p.check(isUri(ref.url) && codePoints(String(ref.url)) <= 2048, `${where}.url: want a URI`);
  }
  if (cna.credits !== undefined) {
    for (const [i, credit] of cveArray(p, cna.credits, 'cna.credits').entries()) {
      const where = `cna.credits[${i}]`;
      if (!isObject(credit)) {
        p.check(false, `${where}: not an object`);
        continue;
      }
      p.keys(credit, ['lang', 'value', 'user', 'type'], where);
      p.check(LANGUAGE.test(String(credit.lang)), `${where}.lang`);
      p.text(credit.value, `${where}.value`, 1, 4096);
      if (credit.type !== undefined) {
        p.check(CVE_CREDIT_TYPES.includes(credit.type as string), `${where}.type`);
      }
    }
  }
  if (cna.metrics !== undefined) {
    const kinds = ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0', 'other'];
    for (const [i, metric] of cveArray(p, cna.metrics, 'cna.metrics').entries()) {
      const where = `cna.metrics[${i}]`;
      if (!isObject(metric)) {
        p.check(false, `${where}: not an object`);
        continue;
      }
      p.keys(metric, ['format', 'scenarios', ...kinds], where);
      p.check(
        kinds.some((k) => metric[k] !== undefined),
        `${where}: want one of ${kinds.join(', ')}`,
      );
      const other = metric.other;
      if (other !== undefined) {
        p.check(
          isObject(other) &&
            typeof other.type === 'string' &&
            codePoints(other.type) >= 1 &&
            codePoints(other.type) <= 128 &&
            isObject(other.content) &&
            Object.keys(other.content).length >= 1,
          `${where}.other: want {type, content}`,
        );
        if (isObject(other)) p.keys(other, ['type', 'content'], `${where}.other`);
      }
    }
  }
  return p.list;
}

// --- Inputs ----------------------------------------------------------------------------------

const ORG_ID = '8254265b-2729-46b6-b9e3-3dfca2d5bfca';

const full: AdvisoryExportInput = {
  project: 'CryptoLib',
  caseId: 'SEC-2026-0001',
  cve: 'CVE-2026-12345',
  title: 'Timing side channel in\nsignature verification',
  advisory:
    'The signature check compares MACs with a non-constant-time loop.\n\nAn attacker who can time responses can forge signatures.',
  severity: 'high',
  affected: '>=1.0, <2.3.1',
  fixed: '2.3.1, 2.2.9',
  credit: 'Alice Example (Example Corp)',
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

const minimal: AdvisoryExportInput = {
  project: 'cryptolib',
  caseId: 'SEC-2026-0002',
  disclosureAt: '2026-03-01T12:00:00Z',
  modifiedAt: '2026-03-01T12:00:00Z',
  references: [],
};

function osv(input: AdvisoryExportInput): Json {
  const record = toOsvRecord(input);
  expect(osvProblems(record)).toEqual([]);
  return record;
}

function cve(input: AdvisoryExportInput): Json {
  const record = toCveRecord(input);
  if (!record) throw new Error('expected a CVE record');
  expect(cveProblems(record)).toEqual([]);
  return record;
}

function affectedOf(record: Json): Json {
  const [entry] = record.affected as Json[];
  if (!entry) throw new Error('expected an affected entry');
  return entry;
}

function cnaOf(record: Json): Json {
  return (record.containers as { cna: Json }).cna;
}

function productOf(record: Json): Json {
  const [product] = cnaOf(record).affected as Json[];
  if (!product) throw new Error('expected an affected product');
  return product;
}

// --- OSV -------------------------------------------------------------------------------------

describe('OSV export', () => {
  it('turns a full case into a valid record', () => {
    expect(osv(full)).toEqual({
      schema_version: '1.6.0',
      id: 'CRYPTOLIB-SEC-2026-0001',
      modified: '2026-03-02T08:30:00Z',
      published: '2026-03-01T12:00:00Z',
      aliases: ['CVE-2026-12345'],
      summary: 'Timing side channel in signature verification',
      details: full.advisory,
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'cryptolib' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '2.3.1' }] }],
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
      credits: [{ name: 'Alice Example (Example Corp)', type: 'FINDER' }],
      database_specific: { severity: 'high' },
    });
  });

  it('turns a minimal case into a valid record with a summary made from the case id', () => {
    expect(osv(minimal)).toEqual({
      schema_version: '1.6.0',
      id: 'CRYPTOLIB-SEC-2026-0002',
      modified: '2026-03-01T12:00:00Z',
      published: '2026-03-01T12:00:00Z',
      aliases: [],
      summary: 'cryptolib security advisory SEC-2026-0002',
    });
  });

  it('uses the project and case as the id and lists the CVE as an alias', () => {
    const record = osv({ ...minimal, cve: ' cve-2026-0042 ', project: 'my crypto_lib' });
    expect(record.id).toBe('MY-CRYPTO-LIB-SEC-2026-0002');
    expect(record.aliases).toEqual(['CVE-2026-0042']);
    expect(osv({ ...minimal, cve: 'CVE-pending' }).aliases).toEqual([]);
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
    expect(osv({ ...minimal, credit: '  Bob  ' }).credits).toEqual([
      { name: 'Bob', type: 'FINDER' },
    ]);
    expect(osv(minimal).credits).toBeUndefined();
    expect(osv({ ...minimal, credit: '   ' }).credits).toBeUndefined();
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

describe('CVE export', () => {
  it('turns a full case into a valid record', () => {
    expect(cve(full)).toEqual({
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: {
        cveId: 'CVE-2026-12345',
        assignerOrgId: ORG_ID,
        state: 'PUBLISHED',
        datePublished: '2026-03-01T12:00:00Z',
        dateUpdated: '2026-03-02T08:30:00Z',
      },
      containers: {
        cna: {
          providerMetadata: { orgId: ORG_ID, dateUpdated: '2026-03-02T08:30:00Z' },
          datePublic: '2026-03-01T12:00:00Z',
          title: 'Timing side channel in signature verification',
          descriptions: [{ lang: 'en', value: full.advisory }],
          affected: [
            {
              vendor: 'Example Foundation',
              product: 'CryptoLib',
              collectionURL: 'https://pypi.python.org',
              packageName: 'cryptolib',
              repo: 'https://github.com/example/cryptolib',
              versions: [
                { version: '2.2.9', status: 'unaffected' },
                { version: '1.0', status: 'affected', versionType: 'python', lessThan: '2.3.1' },
              ],
              defaultStatus: 'unaffected',
            },
          ],
          references: full.references.map((url) => ({ url })),
          credits: [{ lang: 'en', value: 'Alice Example (Example Corp)', type: 'finder' }],
          metrics: [
            {
              other: { type: 'Textual description of severity', content: { text: 'high' } },
            },
          ],
          x_embargo: { caseId: 'SEC-2026-0001' },
        },
      },
    });
  });

  it('needs a CVE id', () => {
    expect(toCveRecord(minimal)).toBeUndefined();
    expect(toCveRecord({ ...minimal, cve: '' })).toBeUndefined();
    expect(toCveRecord({ ...minimal, cve: 'CVE-2026-1' })).toBeUndefined();
    expect(toCveRecord({ ...minimal, cve: 'GHSA-abcd-efgh-ijkl' })).toBeUndefined();
  });

  it('turns a minimal case with a CVE id into a valid record, with stated fallbacks', () => {
    const record = cve({ ...minimal, cve: 'CVE-2026-0042' });
    const cna = cnaOf(record);
    expect((record.cveMetadata as Json).assignerOrgId).toBe(CVE_PLACEHOLDER_ORG_ID);
    expect(cna.providerMetadata).toEqual({
      orgId: CVE_PLACEHOLDER_ORG_ID,
      dateUpdated: '2026-03-01T12:00:00Z',
    });
    expect(cna.x_embargo).toEqual({ caseId: 'SEC-2026-0002', placeholderAssignerOrgId: true });
    expect(cna.title).toBe('cryptolib security advisory SEC-2026-0002');
    expect(cna.descriptions).toEqual([
      { lang: 'en', value: 'Security vulnerability in cryptolib (SEC-2026-0002).' },
    ]);
    expect(cna.references).toEqual([{ url: 'https://www.cve.org/CVERecord?id=CVE-2026-0042' }]);
    expect(productOf(record)).toEqual({
      vendor: 'cryptolib',
      product: 'cryptolib',
      defaultStatus: 'unknown',
    });
    expect(cna.credits).toBeUndefined();
    expect(cna.metrics).toBeUndefined();
    expect(cna.problemTypes).toBeUndefined();
  });

  it('describes the vulnerability by its title when there is no advisory text', () => {
    const cna = cnaOf(cve({ ...minimal, cve: 'CVE-2026-0042', title: 'Heap overflow' }));
    expect(cna.descriptions).toEqual([{ lang: 'en', value: 'Heap overflow' }]);
  });

  it('refuses an assigner org id that is not a UUID', () => {
    expect(() => toCveRecord({ ...full, cveAssignerOrgId: 'example-cna' })).toThrow(RangeError);
  });

  it('cuts the title and description to the lengths the format allows', () => {
    const cna = cnaOf(cve({ ...full, title: 'T'.repeat(300), advisory: '\u{1F512}'.repeat(5000) }));
    expect(Array.from(cna.title as string)).toHaveLength(256);
    const [description] = cna.descriptions as { value: string }[];
    expect(Array.from(description?.value ?? '')).toHaveLength(4096);
    expect(description?.value.endsWith('\u2026')).toBe(true);
  });

  it('credits the reporter as finder, and credits nobody without a credit', () => {
    expect(cnaOf(cve({ ...full, credit: 'Bob' })).credits).toEqual([
      { lang: 'en', value: 'Bob', type: 'finder' },
    ]);
    expect(cnaOf(cve({ ...full, credit: undefined })).credits).toBeUndefined();
  });

  it('writes ranges with lessThan, lessThanOrEqual and the open end "*"', () => {
    const product = productOf(
      cve({ ...full, ecosystem: undefined, affected: '1.0.0 - 1.4.2 || >=2.0.0', fixed: '' }),
    );
    expect(product.versions).toEqual([
      { version: '1.0.0', status: 'affected', versionType: 'semver', lessThanOrEqual: '1.4.2' },
      { version: '2.0.0', status: 'affected', versionType: 'semver', lessThan: '*' },
    ]);
    expect(product.collectionURL).toBeUndefined();
  });

  it('keeps text it cannot read as custom versions', () => {
    const product = productOf(
      cve({ ...full, affected: 'the 2.x series on Windows', fixed: 'next release' }),
    );
    expect(product.versions).toEqual([
      { version: 'next release', status: 'unaffected', versionType: 'custom' },
      { version: 'the 2.x series on Windows', status: 'affected', versionType: 'custom' },
    ]);
    expect(product.defaultStatus).toBeUndefined();
  });

  it('states a backported fix as an unaffected version ahead of the range', () => {
    const product = productOf(cve({ ...full, ecosystem: undefined }));
    expect(product.versions).toEqual([
      { version: '2.2.9', status: 'unaffected' },
      { version: '1.0', status: 'affected', versionType: 'custom', lessThan: '2.3.1' },
    ]);
  });
});

// --- Versions --------------------------------------------------------------------------------

describe('version text', () => {
  it.each([
    ['>=1.0, <2.3.1', [{ introduced: '1.0', fixed: '2.3.1' }]],
    ['>= 1.0 < 2.3.1', [{ introduced: '1.0', fixed: '2.3.1' }]],
    ['>=1.0 and <2.3.1', [{ introduced: '1.0', fixed: '2.3.1' }]],
    ['<2.3.1', [{ introduced: '0', fixed: '2.3.1' }]],
    ['<=2.3.0.', [{ introduced: '0', lastAffected: '2.3.0' }]],
    ['>=1.0', [{ introduced: '1.0' }]],
    ['2.0 - 2.3.0', [{ introduced: '2.0', lastAffected: '2.3.0' }]],
    ['from 2.0 to 2.3.0', [{ introduced: '2.0', lastAffected: '2.3.0' }]],
    ['all versions before 2.3.1', [{ introduced: '0', fixed: '2.3.1' }]],
    ['prior to v2.3.1', [{ introduced: '0', fixed: 'v2.3.1' }]],
    ['since 1.2, up to and including 2.3.0', [{ introduced: '1.2', lastAffected: '2.3.0' }]],
    ['*', [{ introduced: '0' }]],
    ['All versions', [{ introduced: '0' }]],
    [
      '>=1.0 <1.4.2 || >=2.0 <2.3.1',
      [
        { introduced: '1.0', fixed: '1.4.2' },
        { introduced: '2.0', fixed: '2.3.1' },
      ],
    ],
    [
      '>=1.0.0-rc.1 <1.0.0; >=2.0 <2.0.5',
      [
        { introduced: '1.0.0-rc.1', fixed: '1.0.0' },
        { introduced: '2.0', fixed: '2.0.5' },
      ],
    ],
  ])('reads affected %j as ranges', (text, intervals) => {
    expect(parseAffectedVersions(text)).toEqual({ intervals, versions: [] });
  });

  it.each([
    ['2.3.0', ['2.3.0']],
    ['2.3.0, 2.2.8', ['2.3.0', '2.2.8']],
    ['=2.3.0', ['2.3.0']],
  ])('reads affected %j as single versions', (text, versions) => {
    expect(parseAffectedVersions(text)).toEqual({ intervals: [], versions });
  });

  it.each([
    '>1.0',
    '2.x',
    '1.2.*',
    '1.0-2.3.0',
    '>=2.3.1 <1.0',
    '>=1.0 >=1.2',
    '>=1.0 2.3.0',
    'the 2.3 branch',
    '2.3.1 and later',
    '<2.3.1 ||',
    '',
  ])('leaves ambiguous affected %j unread', (text) => {
    expect(parseAffectedVersions(text)).toBeUndefined();
  });

  it('reads fixed version lists', () => {
    expect(parseFixedVersions('2.3.1, 2.2.9')).toEqual(['2.3.1', '2.2.9']);
    expect(parseFixedVersions('2.3.1 and 2.2.9')).toEqual(['2.3.1', '2.2.9']);
    expect(parseFixedVersions('>= 2.3.1')).toEqual(['2.3.1']);
    expect(parseFixedVersions('next release')).toBeUndefined();
    expect(parseFixedVersions('2.x')).toBeUndefined();
  });

  it('closes one open range with the one fixed version after it', () => {
    expect(planVersions('>=1.0', '2.3.1').intervals).toEqual([
      { introduced: '1.0', fixed: '2.3.1' },
    ]);
    // A fixed version before the range start cannot close it.
    const plan = planVersions('>=3.0', '2.3.1');
    expect(plan.intervals).toEqual([{ introduced: '3.0' }]);
    expect(plan.unaffected).toEqual(['2.3.1']);
  });

  it('reads a lone fixed version as "everything before it"', () => {
    expect(planVersions(undefined, '2.3.1').intervals).toEqual([
      { introduced: '0', fixed: '2.3.1' },
    ]);
  });

  it('does not invent branch starts for several fixed versions', () => {
    const plan = planVersions(undefined, '2.3.1, 2.2.9');
    expect(plan.intervals).toEqual([]);
    expect(plan.unaffected).toEqual(['2.3.1', '2.2.9']);
    const osvEntry = affectedOf(osv({ ...minimal, ecosystem: 'PyPI', fixed: '2.3.1, 2.2.9' }));
    expect(osvEntry.ranges).toBeUndefined();
    expect(osvEntry.database_specific).toEqual({ fixed: '2.3.1, 2.2.9' });
  });

  it('orders plain versions numerically and refuses to order others', () => {
    expect(compareVersions('1.10', '1.9')).toBe(1);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
    expect(compareVersions('v2', '10')).toBe(-1);
    expect(compareVersions('1.0rc1', '1.0')).toBeUndefined();
  });

  it('spells ecosystems as OSV does', () => {
    expect(normalizeEcosystem(' crates.IO ')).toBe('crates.io');
    expect(normalizeEcosystem('maven:https://maven.google.com')).toBe(
      'Maven:https://maven.google.com',
    );
    expect(normalizeEcosystem('Conda')).toBeUndefined();
  });
});

// --- Determinism and never inventing ---------------------------------------------------------

describe('both exports', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('do not depend on the clock', () => {
    jest.useFakeTimers();
    jest.setSystemTime(new Date('2020-01-01T00:00:00Z'));
    const before = [
      toOsvRecord(full),
      toCveRecord(full),
      toCveRecord({ ...minimal, cve: full.cve }),
    ];
    jest.setSystemTime(new Date('2031-07-04T13:14:15Z'));
    const after = [
      toOsvRecord(full),
      toCveRecord(full),
      toCveRecord({ ...minimal, cve: full.cve }),
    ];
    expect(after).toEqual(before);
  });

  it('write timestamps in UTC, reading times without an offset as UTC', () => {
    const record = osv({
      ...minimal,
      disclosureAt: '2026-03-01T14:00:00+02:00',
      modifiedAt: '2026-03-01T12:30:00',
    });
    expect(record.published).toBe('2026-03-01T12:00:00Z');
    expect(record.modified).toBe('2026-03-01T12:30:00Z');
    expect(() => toOsvRecord({ ...minimal, disclosureAt: 'on Tuesday' })).toThrow(RangeError);
  });

  const version = fc
    .tuple(
      fc.constantFrom('', 'v'),
      fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
      fc.constantFrom('', '-rc.1', '.post1'),
    )
    .map(([prefix, parts, suffix]) => `${prefix}${parts.join('.')}${suffix}`);
  const comparator = fc
    .tuple(fc.constantFrom('', '>=', '>', '<', '<=', '=', 'before ', 'since '), version)
    .map(([op, v]) => `${op}${v}`);
  const clause = fc.oneof(
    fc.array(comparator, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(', ')),
    fc.tuple(version, version).map(([a, b]) => `${a} - ${b}`),
  );
  const affectedText = fc.oneof(
    fc.array(clause, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(' || ')),
    fc.string({ maxLength: 40 }),
  );
  const fixedText = fc.oneof(
    fc.array(version, { maxLength: 3 }).map((vs) => vs.join(', ')),
    fc.string({ maxLength: 20 }),
  );

  it('stay valid and only name versions that the maintainers typed', () => {
    fc.assert(
      fc.property(
        affectedText,
        fixedText,
        fc.constantFrom(undefined, 'PyPI', 'npm', 'Conda'),
        (affected, fixed, ecosystem) => {
          const input: AdvisoryExportInput = {
            ...full,
            affected,
            fixed,
            ecosystem,
            repositoryUrl: undefined,
          };
          const osvRecord = toOsvRecord(input);
          const cveRecord = toCveRecord(input);
          expect(osvProblems(osvRecord)).toEqual([]);
          expect(cveRecord && cveProblems(cveRecord)).toEqual([]);

          const typed = `${affected} ${fixed}`;
          const named: string[] = [];
          const entry = (osvRecord.affected as Json[] | undefined)?.[0];
          for (const range of (entry?.ranges as { events: Json[] }[] | undefined) ?? []) {
            for (const event of range.events) named.push(...(Object.values(event) as string[]));
          }
          named.push(...((entry?.versions as string[] | undefined) ?? []));
          for (const v of (productOf(cveRecord as Json).versions as Json[] | undefined) ?? []) {
            for (const key of ['version', 'lessThan', 'lessThanOrEqual']) {
              if (typeof v[key] === 'string') named.push(v[key] as string);
            }
          }
          for (const name of named) {
            if (name !== '0' && name !== '*') expect(typed).toContain(name);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the schema checks used here', () => {
  it('reject records that break the rules they transcribe', () => {
    const badOsv = {
      ...toOsvRecord(full),
      affected: [
        {
          package: { ecosystem: 'Conda', name: 'x' },
          ranges: [{ type: 'SEMVER', events: [{ fixed: '1.0', introduced: '0' }] }],
        },
      ],
      credits: [{ type: 'FINDER' }],
    };
    expect(osvProblems(badOsv)).toHaveLength(4);

    const good = toCveRecord(full) as Json;
    const cna = cnaOf(good);
    const badCve = {
      ...good,
      cveMetadata: { ...(good.cveMetadata as Json), assignerOrgId: 'not-a-uuid' },
      containers: {
        cna: {
          ...cna,
          references: [],
          affected: [
            {
              vendor: 'v',
              product: 'p',
              versions: [{ version: '1', status: 'affected', lessThan: '2' }],
            },
          ],
        },
      },
    };
    expect(cveProblems(badCve)).toHaveLength(3);
  });
});
