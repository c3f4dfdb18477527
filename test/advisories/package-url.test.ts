import { packageUrl, purlTypeOf } from '../../shared/advisories/records/package-url';

describe('packageUrl', () => {
  it.each([
    [{ ecosystem: 'npm', packageName: '@scope/pkg' }, 'pkg:npm/%40scope/pkg@1.2.3'],
    [{ ecosystem: 'PyPI', packageName: 'Cryptolib_Core' }, 'pkg:pypi/cryptolib-core@1.2.3'],
    [{ ecosystem: 'Maven', packageName: 'org.example:lib' }, 'pkg:maven/org.example/lib@1.2.3'],
    [{ ecosystem: 'Go', packageName: 'example.com/mod/v2' }, 'pkg:golang/example.com/mod/v2@1.2.3'],
  ])('names the package in its ecosystem: %j', (identity, purl) => {
    expect(packageUrl({ project: 'cryptolib', ...identity }, '1.2.3')).toBe(purl);
  });

  it('falls back to the GitHub repository, then to a generic purl of the project', () => {
    const repositoryUrl = 'https://github.com/example/cryptolib.git';
    expect(packageUrl({ project: 'cryptolib', repositoryUrl })).toBe(
      'pkg:github/example/cryptolib',
    );
    expect(packageUrl({ project: 'cryptolib', ecosystem: 'Debian:12' }, '2.4')).toBe(
      'pkg:generic/cryptolib@2.4',
    );
  });

  it('adds qualifiers, and gives undefined for parts the library refuses', () => {
    expect(
      packageUrl({ project: 'p', ecosystem: 'npm', packageName: 'p' }, undefined, {
        vers: 'vers:npm/<2.0.0',
      }),
    ).toBe('pkg:npm/p?vers=vers%3Anpm%2F%3C2.0.0');
    expect(packageUrl({ project: '' })).toBeUndefined();
  });
});

describe('purlTypeOf', () => {
  it("gives an OSV ecosystem's purl type, going by the part before a colon", () => {
    expect(purlTypeOf('crates.io')).toBe('cargo');
    expect(purlTypeOf('Go')).toBe('golang');
    expect(purlTypeOf('Ubuntu:22.04')).toBeUndefined();
    expect(purlTypeOf(undefined)).toBeUndefined();
  });
});
