import * as z from 'zod/mini';
import { validate } from '../validation/validate';
import { ConfigError } from './config-error';
import type { EmbargoConfig } from './embargo-config';

const text = z.string();
const nonEmpty = z.string().check(z.minLength(1));

/**
 * The resolved form, as the Lambdas get it (already holding the key text): bundled into the code
 * at synth, after `loadConfigFile` validated the file. Checked again when a function starts, in
 * case the build or a hand-set EMBARGO_CONFIG_JSON (the CLI, unbundled) is off.
 */
export const resolvedConfigSchema = z.strictObject({
  project: nonEmpty,
  securityAddress: z.email(),
  announceAddress: z.email(),
  maintainers: z.array(
    z.strictObject({
      name: nonEmpty,
      email: z.email(),
      publicKeyArmored: z.optional(text),
    }),
  ),
  ackWithinHours: z.number().check(z.positive()),
  advanceNoticeDays: z.int().check(z.positive()),
  urgentNoticeDays: z.int().check(z.nonnegative()),
  commandSignatureMaxAgeDays: z.number().check(z.positive()),
  acceptDkimDmarcCommands: z.boolean(),
  mainBranch: text,
  supportedReleases: z.array(text),
  repositoryUrl: z.optional(text),
  ecosystem: z.optional(text),
  packageName: z.optional(nonEmpty),
  osvIdPrefix: z.optional(nonEmpty),
  upstreamSenders: z.array(z.strictObject({ name: text, address: text })),
  github: z.optional(z.strictObject({ repository: nonEmpty, apiBaseUrl: nonEmpty })),
});

/** Reads the resolved configuration that the CDK app hands a Lambda as JSON. */
export function parseResolvedConfig(json: string | undefined, source: string): EmbargoConfig {
  if (!json) throw new ConfigError(source, ['not set; the deployment must pass the configuration']);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new ConfigError(source, [`not valid JSON: ${(err as Error).message}`]);
  }
  const parsed = validate(resolvedConfigSchema, raw);
  if (!parsed.success) throw new ConfigError(source, parsed.problems);
  return parsed.data;
}
