/**
 * Package URLs (purl, github.com/package-url/purl-spec) of a project's package, built with
 * packageurl-js so that encoding and each type's normalisation rules are the library's. Pure.
 */

import { PackageURL } from 'packageurl-js';

/** purl types by OSV ecosystem (the purl-spec's PURL-TYPES list). */
const PURL_TYPES: Record<string, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  Maven: 'maven',
  NuGet: 'nuget',
  Go: 'golang',
  Packagist: 'composer',
  Hex: 'hex',
  Pub: 'pub',
  Hackage: 'hackage',
  CRAN: 'cran',
  'GitHub Actions': 'github',
  SwiftURL: 'swift',
  ConanCenter: 'conan',
};

/** The purl type of an OSV ecosystem ("PyPI" -> "pypi"; "Debian:12" goes by "Debian"). */
export function purlTypeOf(ecosystem: string | undefined): string | undefined {
  return ecosystem ? PURL_TYPES[ecosystem.split(':')[0]!] : undefined;
}

export interface PackageIdentity {
  project: string;
  /** The OSV ecosystem as normalised by advisory-input ("PyPI"). */
  ecosystem?: string;
  /** The package name in its ecosystem ("@scope/pkg", "org.example:lib", "example.com/mod"). */
  packageName?: string;
  repositoryUrl?: string;
}

/** Splits "namespace/name" (npm scopes, Go paths, composer vendors) or Maven's "group:artifact". */
function splitName(type: string, name: string): [string | undefined, string] {
  const separator = type === 'maven' ? ':' : '/';
  const at = name.lastIndexOf(separator);
  return at > 0 ? [name.slice(0, at), name.slice(at + 1)] : [undefined, name];
}

function githubRepository(url: string | undefined): [string, string] | undefined {
  const match = /^https?:\/\/github\.com\/([^/]+)\/([^/#?]+?)(?:\.git)?\/?$/i.exec(url ?? '');
  return match?.[1] && match[2] ? [match[1], match[2]] : undefined;
}

/**
 * The package's purl, with `version` and `qualifiers` when given: the ecosystem's type when the
 * project has one, else `pkg:github/<owner>/<repo>` for a GitHub repository, else
 * `pkg:generic/<project>`. `undefined` when the library refuses the parts (an invalid name).
 */
export function packageUrl(
  identity: PackageIdentity,
  version?: string,
  qualifiers?: Record<string, string>,
): string | undefined {
  try {
    const type = purlTypeOf(identity.ecosystem);
    if (type) {
      const [namespace, name] = splitName(type, identity.packageName ?? identity.project);
      return new PackageURL(type, namespace, name, version, qualifiers, undefined).toString();
    }
    const github = githubRepository(identity.repositoryUrl);
    if (github) {
      return new PackageURL(
        'github',
        github[0],
        github[1],
        version,
        qualifiers,
        undefined,
      ).toString();
    }
    return new PackageURL(
      'generic',
      undefined,
      identity.project,
      version,
      qualifiers,
      undefined,
    ).toString();
  } catch {
    return undefined;
  }
}
