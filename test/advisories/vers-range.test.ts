import { statementVersions, versOf } from '../../shared/advisories/records/vers-range';

describe('versOf', () => {
  it("writes the interval in the ecosystem's own scheme", () => {
    expect(versOf({ introduced: '1.0.0', fixed: '2.3.1' }, 'npm')).toBe('vers:npm/>=1.0.0|<2.3.1');
    expect(versOf({ introduced: '0', fixed: '2.3.1' }, 'PyPI')).toBe('vers:pypi/<2.3.1');
    expect(versOf({ introduced: '1.0', lastAffected: '1.4' }, 'crates.io')).toBe(
      'vers:cargo/>=1.0|<=1.4',
    );
  });

  it('uses semver for strict SemVer versions of other ecosystems, else generic', () => {
    expect(versOf({ introduced: '1.0.0', fixed: '1.2.0' }, 'Hex')).toBe(
      'vers:semver/>=1.0.0|<1.2.0',
    );
    expect(versOf({ introduced: '1.0', fixed: '1.2' }, undefined)).toBe('vers:generic/>=1.0|<1.2');
  });

  it('writes * for an interval with no bound', () => {
    expect(versOf({ introduced: '0' }, 'npm')).toBe('vers:npm/*');
  });
});

describe('statementVersions', () => {
  it('reads what maintainers typed as VERS ranges and single versions', () => {
    expect(statementVersions('>=1.0.0, <2.3.1', 'npm')).toEqual({
      ranges: ['vers:npm/>=1.0.0|<2.3.1'],
      versions: [],
    });
    expect(statementVersions('2.3.0, 2.2.8', 'npm')).toEqual({
      ranges: [],
      versions: ['2.3.0', '2.2.8'],
    });
  });

  it('gives undefined for text it cannot read without guessing', () => {
    expect(statementVersions('2.x', 'npm')).toBeUndefined();
  });
});
