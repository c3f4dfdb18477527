import * as z from 'zod/mini';
import { validate } from '../validation/validate';
import { ConfigError } from './config-error';
import { unknownFieldsError } from './unknown-fields';
import type { output } from 'zod/mini';
import { errorMessage } from '../errors';

const text = z.string();
const nonEmpty = z.string().check(z.minLength(1));
const perDay = z.int().check(z.positive());

/** What tells that a text has something (triage): words or phrases, and regular expressions. */
const matchTerms = { keywords: z.array(nonEmpty), patterns: z.array(nonEmpty) };

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
  /** Each with the armored key already read, so runtimes without a file system can use it. */
  maintainers: z.array(
    fields({
      name: nonEmpty,
      email: z.email(),
      publicKeyArmored: z.optional(text),
      /** `false`: takes no encrypted mail, on purpose; Embargo does not ask for a key. */
      encryptedMail: z.optional(z.boolean()),
    }),
  ),
  ackWithinHours: z.number().check(z.positive()),
  advanceNoticeDays: z.int().check(z.positive()),
  urgentNoticeDays: z.int().check(z.nonnegative()),
  /** Signed commands older than this are refused. */
  commandSignatureMaxAgeDays: z.number().check(z.positive()),
  /**
   * The longest embargo distributors accept, counted from their first advance notice (14 days
   * is the maximum of the Openwall distros list); `/disclose` warns past it.
   */
  maxEmbargoDays: z.int().check(z.positive()),
  distributorReminderDays: z.int().check(z.positive()),
  /**
   * `before-details`: a distributor's first mail is an invitation without details, which go
   * only after its signed `/accept` (a distributor's own setting overrides this).
   */
  distributorConsent: z.enum(['with-notice', 'before-details']),
  /** How long an invitation stays open: silence past it means no details ever. */
  invitationWindowDays: z.int().check(z.positive()),
  /** The public list to post to on disclosure day (oss-security), if the project uses one. */
  ossSecurity: z.optional(z.email()),
  /**
   * The disclosure-day post to `ossSecurity`: "draft" (the default) puts it, ready to send, in
   * the maintainers' disclosure-day mail; "send" sends it from the security address.
   */
  ossSecurityPost: z.optional(z.enum(['draft', 'send'])),
  /** Also accept commands in unsigned mail that SES found DKIM- and DMARC-aligned. Off by default. */
  acceptDkimDmarcCommands: z.boolean(),
  /** Security support: the main branch and the most recent releases (policy: two). */
  mainBranch: text,
  supportedReleases: z.array(text),
  repositoryUrl: z.optional(text),
  /** OSV ecosystem of the project's package, if it has one. */
  ecosystem: z.optional(text),
  /** The package name in that ecosystem, when it is not `project`. */
  packageName: z.optional(nonEmpty),
  /** The OSV home-database prefix registered for the project; OSV ids use `x_` without one. */
  osvIdPrefix: z.optional(nonEmpty),
  /** Where `/ghsa` keeps the repository security advisory (see docs/github.md). */
  github: z.optional(fields({ repository: nonEmpty, apiBaseUrl: nonEmpty })),
  /**
   * Where the OSV record is committed on disclosure day, for OSV.dev to import (uses the
   * `github` token and API; docs/advisories.md).
   */
  osv: z.optional(fields({ repository: nonEmpty, folder: text, branch: z.optional(nonEmpty) })),
  /**
   * Where the CSAF documents are published on disclosure day, as a CSAF provider's directory,
   * and the URL that folder is served at (uses the `github` token and API; docs/advisories.md).
   */
  csaf: z.optional(
    fields({ repository: nonEmpty, folder: text, branch: z.optional(nonEmpty), baseUrl: nonEmpty }),
  ),
  /** Senders of upstream security announcements (e.g. a bundled library's advisories list). */
  upstreamSenders: z.array(fields({ name: text, address: text })),
  /** Admission limits per sender address and domain over a rolling day (see docs/flood.md). */
  flood: fields({
    reportsPerAddress: perDay,
    reportsPerDomain: perDay,
    followUpsPerAddress: perDay,
    followUpsPerDomain: perDay,
    exemptSenders: z.array(nonEmpty),
  }),
  /** Mails Embargo sends a day at most, all kinds together; copies wait first near it. */
  maxMailsPerDay: perDay,
  /** What the acknowledgment asks a report for when it lacks it; absent: the defaults. */
  reportRequirements: z.optional(z.array(fields({ id: nonEmpty, ask: nonEmpty, ...matchTerms }))),
  /** The project's threat model in rules, each with the text `/reply out-of-scope` sends. */
  outOfScope: z.array(fields({ id: nonEmpty, rule: nonEmpty, ...matchTerms, reply: nonEmpty })),
  /** Whether the acknowledgment asks if AI tools were used (unless the report says). */
  askAboutAi: z.boolean(),
  /** Canned replies for `/reply <name>`. */
  replyTemplates: z.record(z.string(), text),
});

/**
 * The configuration the code works with: validated, defaults applied, key files read. Declared
 * by the schema above; embargo-config.ts checks at compile time that the file's schema agrees.
 */
export type EmbargoConfig = output<typeof resolvedConfigSchema>;
export type Maintainer = EmbargoConfig['maintainers'][number];

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
