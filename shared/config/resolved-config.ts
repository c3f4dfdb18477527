import * as z from 'zod/mini';
import { validate } from '../validation/validate';
import { ConfigError } from './config-error';
import { unknownFieldsError } from './unknown-fields';
import type { EmbargoConfig } from './embargo-config';
import { errorMessage } from '../errors';

const text = z.string();
const nonEmpty = z.string().check(z.minLength(1));
const perDay = z.int().check(z.positive());

/** A strict object whose unknown fields are named with the known field each resembles. */
function fields<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  return z.strictObject(shape, { error: unknownFieldsError(shape) });
}

/**
 * The resolved form, as the Lambdas get it (already holding the key text): bundled into the code
 * at synth, after `loadConfigFile` validated the file. Checked again when a function starts, in
 * case the build or a hand-set EMBARGO_CONFIG_JSON (the CLI, unbundled) is off.
 */
export const resolvedConfigSchema = fields({
  project: nonEmpty,
  securityAddress: z.email(),
  announceAddress: z.email(),
  maintainers: z.array(
    fields({
      name: nonEmpty,
      email: z.email(),
      publicKeyArmored: z.optional(text),
      encryptedMail: z.optional(z.boolean()),
    }),
  ),
  ackWithinHours: z.number().check(z.positive()),
  advanceNoticeDays: z.int().check(z.positive()),
  urgentNoticeDays: z.int().check(z.nonnegative()),
  commandSignatureMaxAgeDays: z.number().check(z.positive()),
  maxEmbargoDays: z.int().check(z.positive()),
  ossSecurity: z.optional(z.email()),
  acceptDkimDmarcCommands: z.boolean(),
  mainBranch: text,
  supportedReleases: z.array(text),
  repositoryUrl: z.optional(text),
  ecosystem: z.optional(text),
  packageName: z.optional(nonEmpty),
  osvIdPrefix: z.optional(nonEmpty),
  github: z.optional(fields({ repository: nonEmpty, apiBaseUrl: nonEmpty })),
  upstreamSenders: z.array(fields({ name: text, address: text })),
  flood: fields({
    reportsPerAddress: perDay,
    reportsPerDomain: perDay,
    followUpsPerAddress: perDay,
    followUpsPerDomain: perDay,
    exemptSenders: z.array(nonEmpty),
  }),
  maxMailsPerDay: perDay,
});

/** Reads the resolved configuration that the CDK app hands a Lambda as JSON. */
export function parseResolvedConfig(json: string | undefined, source: string): EmbargoConfig {
  if (!json) throw new ConfigError(source, ['not set; the deployment must pass the configuration']);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new ConfigError(source, [`not valid JSON: ${errorMessage(err)}`]);
  }
  const parsed = validate(resolvedConfigSchema, raw);
  if (!parsed.success) throw new ConfigError(source, parsed.problems);
  return parsed.data;
}
