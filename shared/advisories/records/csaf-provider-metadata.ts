/**
 * A CSAF provider's `provider-metadata.json` (CSAF 2.0 section 7.1.7, requirement 7), for a
 * project that serves its CSAF documents from a directory on its own HTTPS site. Pure. The
 * publisher is the one Embargo's CSAF documents name (csaf-record.ts), as the standard asks the
 * two to agree.
 */

export interface ProviderMetadataInput {
  project: string;
  repositoryUrl?: string;
  /** Where the file itself is served: https://<host>/.well-known/csaf/provider-metadata.json. */
  canonicalUrl: string;
  lastUpdated: string;
  /** The project key's public key on the site (requirement 20), if the project serves one. */
  publicKeyUrl?: string;
  /** Its fingerprint (40 hex digits). */
  fingerprint?: string;
}

/** Why the canonical URL cannot be a provider's, or undefined. */
export function canonicalUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol !== 'https:')
    return 'a CSAF provider serves its files over TLS (requirement 3): the URL must start with https://';
  if (!parsed.pathname.endsWith('/provider-metadata.json'))
    return 'the file must be named provider-metadata.json (requirement 7), e.g. https://example.org/.well-known/csaf/provider-metadata.json';
  return undefined;
}

export function toCsafProviderMetadata(input: ProviderMetadataInput): Record<string, unknown> {
  const folder = input.canonicalUrl.replace(/provider-metadata\.json$/, '');
  return {
    canonical_url: input.canonicalUrl,
    // A directory-based provider (requirements 11 to 14): one folder per year under this one.
    distributions: [{ directory_url: folder }],
    last_updated: input.lastUpdated,
    list_on_CSAF_aggregators: true,
    metadata_version: '2.0',
    mirror_on_CSAF_aggregators: true,
    ...(input.publicKeyUrl
      ? {
          public_openpgp_keys: [
            {
              url: input.publicKeyUrl,
              ...(input.fingerprint ? { fingerprint: input.fingerprint.toUpperCase() } : {}),
            },
          ],
        }
      : {}),
    publisher: {
      category: 'vendor',
      name: input.project,
      namespace: input.repositoryUrl ?? `urn:embargo:${input.project}`,
    },
    role: 'csaf_provider',
  };
}
