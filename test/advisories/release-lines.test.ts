import { nextLineStart, releaseLineOf, splitAtFixes } from '../../shared/advisories/release-lines';
import { compareVersions, planVersions } from '../../shared/advisories/version-ranges';
import fc from 'fast-check';
import { eventsSorted, historyOrder, osvAffects } from './osv-evaluation';
import { affectedOf, cve, full, minimal, osv, productOf, type Json } from './record-checks';

// What OSV tools conclude from the exported ranges, by the spec's evaluation rules.
const affects = (entry: Json, versions: string[]) =>
  Object.fromEntries(versions.map((v) => [v, osvAffects(entry, v)]));

describe('ranges per release line', () => {
  it('leaves every fixed version of "/fixed 2.4.1, 2.3.9" unaffected (supported 2.4 and 2.3)', () => {
    const entry = affectedOf(
      osv({ ...minimal, ecosystem: 'npm', fixed: '2.4.1, 2.3.9', releaseLines: ['2.4', '2.3'] }),
    );
    expect(entry.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.3.9' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '2.4.0' }, { fixed: '2.4.1' }] },
    ]);
    expect(eventsSorted(entry)).toBe(true);
    expect(
      affects(entry, ['1.0.0', '2.3.8', '2.3.9', '2.3.10', '2.4.0', '2.4.1', '2.5.0']),
    ).toEqual({
      '1.0.0': true,
      '2.3.8': true,
      '2.3.9': false,
      '2.3.10': false,
      '2.4.0': true,
      '2.4.1': false,
      '2.5.0': false,
    });
  });

  it('keeps an unsupported line between two fixed ones affected', () => {
    const entry = affectedOf(osv({ ...minimal, ecosystem: 'npm', fixed: '2.4.1, 2.2.5' }));
    expect(affects(entry, ['2.2.4', '2.2.5', '2.3.7', '2.4.0', '2.4.1'])).toEqual({
      '2.2.4': true,
      '2.2.5': false,
      '2.3.7': true,
      '2.4.0': true,
      '2.4.1': false,
    });
  });

  it('cuts a stated range at the backports inside it, keeping its own end', () => {
    const entry = affectedOf(osv({ ...full, affected: '>=1.0, <2.3.1', fixed: '2.3.1, 2.2.9' }));
    expect(eventsSorted(entry)).toBe(true);
    expect(affects(entry, ['0.9', '1.0', '2.2.8', '2.2.9', '2.3.0', '2.3.1'])).toEqual({
      '0.9': false,
      '1.0': true,
      '2.2.8': true,
      '2.2.9': false,
      '2.3.0': true,
      '2.3.1': false,
    });
    // The CVE record says the same.
    expect(productOf(cve({ ...full, ecosystem: 'npm' })).versions).toEqual([
      { version: '1.0', status: 'affected', versionType: 'custom', lessThan: '2.2.9' },
      { version: '2.3.0', status: 'affected', versionType: 'semver', lessThan: '2.3.1' },
    ]);
  });

  it('ends with last_affected where the maintainers gave an inclusive end', () => {
    const entry = affectedOf(
      osv({ ...minimal, ecosystem: 'npm', affected: '<=2.4.0', fixed: '2.3.9' }),
    );
    expect(entry.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.3.9' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: '2.4.0' }, { last_affected: '2.4.0' }] },
    ]);
    expect(affects(entry, ['2.3.8', '2.3.9', '2.4.0', '2.4.1'])).toEqual({
      '2.3.8': true,
      '2.3.9': false,
      '2.4.0': true,
      '2.4.1': false,
    });
    expect(
      productOf(cve({ ...minimal, cve: 'CVE-2026-1234', affected: '<=2.4.0', fixed: '2.3.9' }))
        .versions,
    ).toEqual([
      { version: '0', status: 'affected', versionType: 'semver', lessThan: '2.3.9' },
      { version: '2.4.0', status: 'affected', versionType: 'semver', lessThanOrEqual: '2.4.0' },
    ]);
  });

  it('uses configured lines that are majors, and "v" as the versions write it', () => {
    const entry = affectedOf(
      osv({ ...minimal, ecosystem: 'Go', fixed: 'v2.5.3, v1.9.8', releaseLines: ['2', '1'] }),
    );
    expect(entry.ranges).toEqual([
      { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'v1.9.8' }] },
      { type: 'ECOSYSTEM', events: [{ introduced: 'v2.0.0' }, { fixed: 'v2.5.3' }] },
    ]);
  });

  it('evaluates a GIT range by the commit history: fixed in the commit, not before', () => {
    const history = ['a', 'b', 'c', 'd'].map((c) => c.repeat(40));
    const [, introducing, , fix] = history as [string, string, string, string];
    const entry = affectedOf(
      osv({
        ...minimal,
        affected: `>=${introducing}, <${fix}`,
        repositoryUrl: 'https://github.com/example/cryptolib',
      }),
    );
    expect(entry.ranges).toEqual([
      {
        type: 'GIT',
        repo: 'https://github.com/example/cryptolib',
        events: [{ introduced: introducing }, { fixed: fix }],
      },
    ]);
    const order = historyOrder(history);
    expect(eventsSorted(entry, order)).toBe(true);
    expect(history.map((commit) => osvAffects(entry, commit, order))).toEqual([
      false,
      true,
      true,
      false,
    ]);
  });

  it('does not guess with two fixes on one line', () => {
    const plan = planVersions(undefined, '2.4.1, 2.4.3', ['2.4']);
    expect(plan.intervals).toEqual([]);
    expect(plan.unaffected).toEqual(['2.4.1', '2.4.3']);
  });

  it('names the line of a version and where the next line starts', () => {
    expect(releaseLineOf('2.3.9', [])).toEqual([2, 3]);
    expect(releaseLineOf('2.3.9', ['2.3.x', '2'])).toEqual([2, 3]);
    expect(releaseLineOf('2.3.9', ['2'])).toEqual([2]);
    expect(releaseLineOf('7', [])).toBeUndefined();
    expect(releaseLineOf('2.3.9-rc1', [])).toBeUndefined();
    expect(nextLineStart([2, 3], '2.3.9')).toBe('2.4.0');
    expect(nextLineStart([2, 3], '2.3.9.1')).toBe('2.4.0.0');
    expect(nextLineStart([1], 'v1.9.8')).toBe('v2.0.0');
  });

  it('for any fixes on distinct lines, OSV reads each fix as unaffected and the version before it as affected', () => {
    const line = fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 20 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(line, { minLength: 1, maxLength: 4, selector: ([a, b]) => `${a}.${b}` }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 4, maxLength: 4 }),
        (lines, patches) => {
          const fixes = lines.map(([a, b], i) => `${a}.${b}.${patches[i]}`);
          const entry = affectedOf(osv({ ...minimal, ecosystem: 'npm', fixed: fixes.join(', ') }));
          expect(eventsSorted(entry)).toBe(true);
          for (const [i, fix] of fixes.entries()) {
            expect(osvAffects(entry, fix)).toBe(false);
            const [a, b] = lines[i]!;
            expect(osvAffects(entry, `${a}.${b}.${patches[i]! - 1}`)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses to split when it cannot order the versions', () => {
    const unordered = (a: string, b: string) => compareVersions(a, b);
    expect(splitAtFixes({ introduced: '0' }, ['2.4.1', 'next'], [], unordered)).toBeUndefined();
  });
});
