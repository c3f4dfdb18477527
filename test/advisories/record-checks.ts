import { OSV_ECOSYSTEMS, type AdvisoryExportInput } from '../../shared/advisories/advisory-input';
import { toCveRecord } from '../../shared/advisories/cve-record';
import { toOsvRecord } from '../../shared/advisories/osv-record';

// No npm package ships the OSV or CVE JSON schemas, so the checks below transcribe the rules of
// the official schemas by hand: OSV 1.6.x (spec 1.6.6, validation/schema.json) and CVE Record
// Format 5.1 (CVE_Record_Format.json). They cover every field the exports write.

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const codePoints = (text: string): number => Array.from(text).length;
export const isUri = (value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
};
export const unique = (items: unknown[]): boolean =>
  new Set(items.map((item) => JSON.stringify(item))).size === items.length;

export class Problems {
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

export const OSV_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
export const OSV_ECOSYSTEM = new RegExp(
  `^(?:${OSV_ECOSYSTEMS.map((e) => e.replace(/[.]/g, '\\.')).join('|')})(?::.+)?$`,
);
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
export const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
export const OSV_EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'];
export const OSV_REFERENCE_TYPES = [
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
export const OSV_CREDIT_TYPES = [
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

export function osvRangeProblems(p: Problems, range: unknown, where: string): void {
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

export function osvProblems(record: Json): string[] {
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

export const CVE_TIMESTAMP =
  /^(?:19|2\d)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;
export const UUID_V4 =
  /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;
export const LANGUAGE = /^[A-Za-z]{2,4}([_-][A-Za-z]{4})?([_-]([A-Za-z]{2}|[0-9]{3}))?$/;
export const ENGLISH = /^en([_-][A-Za-z]{4})?([_-]([A-Za-z]{2}|[0-9]{3}))?$/;
export const STATUSES = ['affected', 'unaffected', 'unknown'];
export const CVE_CREDIT_TYPES = [
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

export function cveArray(p: Problems, value: unknown, where: string, max = Infinity): unknown[] {
  const ok = Array.isArray(value) && value.length >= 1 && value.length <= max && unique(value);
  p.check(ok, `${where}: want a non-empty array of unique items`);
  return Array.isArray(value) ? value : [];
}

export function cveVersionProblems(p: Problems, entry: unknown, where: string): void {
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

export function cveProductProblems(p: Problems, product: unknown, where: string): void {
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

export function cveProblems(record: Json): string[] {
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

export const minimal: AdvisoryExportInput = {
  project: 'cryptolib',
  caseId: 'SEC-2026-0002',
  disclosureAt: '2026-03-01T12:00:00Z',
  modifiedAt: '2026-03-01T12:00:00Z',
  references: [],
};

export function osv(input: AdvisoryExportInput): Json {
  const record = toOsvRecord(input);
  expect(osvProblems(record)).toEqual([]);
  return record;
}

export function cve(input: AdvisoryExportInput): Json {
  const record = toCveRecord(input);
  if (!record) throw new Error('expected a CVE record');
  expect(cveProblems(record)).toEqual([]);
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
