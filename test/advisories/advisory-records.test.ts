import fc from 'fast-check';
import { type AdvisoryExportInput } from '../../shared/advisories/advisory-input';
import { toCveRecord } from '../../shared/advisories/records/cve-record';
import { toOsvRecord } from '../../shared/advisories/records/osv-record';
import { nextLineStart, releaseLineOf } from '../../shared/advisories/release-lines';
import { parseFixedVersions } from '../../shared/advisories/version-ranges';
import {
  cveSchemaProblems as cveProblems,
  officialSchemasAvailable,
  officialSchemasWhere,
  osvSchemaProblems as osvProblems,
} from './record-schemas';
import { describeIfAvailable } from '../support/needed-in-ci';
import { type Json, full, minimal, osv, cnaOf, productOf } from './record-checks';

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
          // Besides the sentinels, only the start of the release line after a typed fixed version.
          const lineStarts = (parseFixedVersions(fixed) ?? []).flatMap((v) => {
            const line = releaseLineOf(v, input.releaseLines ?? []);
            return line ? [nextLineStart(line, v)] : [];
          });
          for (const name of named) {
            if (name !== '0' && name !== '*' && !lineStarts.includes(name)) {
              expect(typed).toContain(name);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describeIfAvailable(
  'the official OSV and CVE schemas',
  officialSchemasAvailable,
  officialSchemasWhere,
)('the official schemas used here', () => {
  it('reject records that break them', () => {
    const badOsv = {
      ...toOsvRecord(full),
      // No registered prefix and no x_: what the exports wrote before.
      id: 'CRYPTOLIB-SEC-2026-0001',
      affected: [
        {
          package: { ecosystem: 'Conda', name: 'x' },
          ranges: [{ type: 'SEMVER', events: [{ fixed: '1.0', introduced: '0' }] }],
        },
      ],
      credits: [{ type: 'FINDER' }],
    };
    const osvFound = osvProblems(badOsv).join('\n');
    expect(osvFound).toMatch(/^\/id must match pattern/m);
    expect(osvFound).toMatch(/^\/affected\/0\/package\/ecosystem /m);
    expect(osvFound).toMatch(/^\/credits\/0 must have required property 'name'/m);

    const good = toCveRecord(full) as Json;
    const cna = cnaOf(good);
    const badCve = {
      ...good,
      cveMetadata: { ...(good.cveMetadata as Json), assignerOrgId: 'not-a-uuid' },
      containers: {
        cna: {
          ...cna,
          references: [],
          problemTypes: [{ descriptions: [{ lang: 'en', description: 'x', cweId: 'CWE-0' }] }],
        },
      },
    };
    const cveFound = cveProblems(badCve).join('\n');
    expect(cveFound).toMatch(/^\/cveMetadata\/assignerOrgId must match pattern/m);
    expect(cveFound).toMatch(/^\/containers\/cna\/references must NOT have fewer than 1 items/m);
    expect(cveFound).toMatch(/^\/containers\/cna\/problemTypes\/0\/descriptions\/0\/cweId /m);
  });
});
