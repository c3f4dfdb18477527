/**
 * A CSAF provider's `provider-metadata.json` (CSAF 2.0 section 7.1.7, requirement 7), for a
 * project that serves its CSAF documents from a directory on its own HTTPS site. Pure. The
 * publisher is the one Embargo's CSAF documents name (csaf-record.ts), as the standard asks the
 * two to agree.
 */
import * as z from 'zod/mini';

/**
 * `provider-metadata.json` as CSAF 2.0's provider metadata schema (provider_json_schema.json,
 * section 7.1.7) describes it, written from the standard's fields: the required ones, the
 * directory and ROLIE distributions, the OpenPGP keys and the publisher of the CSAF schema
 * (`document.publisher`). Checked (shared/validation/validate.ts) before the file is written.
 */
const nonEmpty = z.string().check(z.minLength(1));
const jsonUrl = z.url().check(z.regex(/\.json$/, 'a URL of a .json file'));
const publisherSchema = z.object({
  category: z.enum(['coordinator', 'discoverer', 'other', 'translator', 'user', 'vendor']),
  contact_details: z.optional(nonEmpty),
  issuing_authority: z.optional(nonEmpty),
  name: nonEmpty,
  namespace: z.url(),
});
const distributionSchema = z
  .object({
    directory_url: z.optional(z.url()),
    rolie: z.optional(
      z.object({
        categories: z.optional(z.array(jsonUrl).check(z.minLength(1))),
        feeds: z
          .array(
            z.object({
              summary: z.optional(z.string()),
              tlp_label: z.enum(['UNLABELED', 'WHITE', 'GREEN', 'AMBER', 'RED']),
              url: jsonUrl,
            }),
          )
          .check(z.minLength(1)),
        services: z.optional(z.array(jsonUrl).check(z.minLength(1))),
      }),
    ),
  })
  .check(
    z.refine((d) => Object.keys(d).length > 0, 'a distribution names a directory or ROLIE feeds'),
  );
export const csafProviderMetadataSchema = z.object({
  canonical_url: z
    .url()
    .check(z.regex(/\/provider-metadata\.json$/, 'the URL of a provider-metadata.json')),
  distributions: z.optional(z.array(distributionSchema).check(z.minLength(1))),
  last_updated: z.iso.datetime({ offset: true }),
  list_on_CSAF_aggregators: z.boolean(),
  metadata_version: z.literal('2.0'),
  mirror_on_CSAF_aggregators: z.boolean(),
  public_openpgp_keys: z.optional(
    z.array(
      z.object({
        fingerprint: z.optional(
          z.string().check(z.regex(/^[0-9a-fA-F]{40,}$/, 'a fingerprint of 40 or more hex digits')),
        ),
        url: z.url(),
      }),
    ),
  ),
  publisher: publisherSchema,
  role: z.enum(['csaf_publisher', 'csaf_provider', 'csaf_trusted_provider']),
});
export type CsafProviderMetadata = z.infer<typeof csafProviderMetadataSchema>;

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
