import { normalizeEcosystem } from '../../shared/advisories/advisory-input';
import {
  compareVersions,
  parseAffectedVersions,
  parseFixedVersions,
  planVersions,
} from '../../shared/advisories/version-ranges';
import { minimal, osv, affectedOf } from './record-checks';

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

  it('does not order versions it cannot compare, and keeps their fixes as unaffected', () => {
    const plan = planVersions(undefined, '2.3.1-beta, 2.2.9');
    expect(plan.intervals).toEqual([]);
    expect(plan.unaffected).toEqual(['2.3.1-beta', '2.2.9']);
    const osvEntry = affectedOf(osv({ ...minimal, ecosystem: 'PyPI', fixed: '2.3.1-beta, 2.2.9' }));
    expect(osvEntry.ranges).toBeUndefined();
    expect(osvEntry.database_specific).toEqual({ fixed: '2.3.1-beta, 2.2.9' });
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
