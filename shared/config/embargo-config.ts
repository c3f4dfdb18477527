import { z } from 'zod';
import { unknownFieldsError } from './unknown-fields';

/** A strict object whose unknown fields are named with the known field each resembles. */
function fields<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.strictObject(shape, { error: unknownFieldsError(shape) });
}

/** A maintainer as written in `embargo.config.json`: the key is a path to an armored public key. */
const maintainerEntry = fields({
  name: z.string().trim().min(1, 'a maintainer needs a name'),
  email: z.email('must be an email address'),
  publicKeyFile: z.string().min(1).optional(),
  /** `false` says on purpose that this maintainer gets no encrypted mail (and needs no key). */
  encryptedMail: z.boolean().optional(),
});

const upstreamSender = fields({
  name: z.string().min(1),
  address: z.email('must be an email address'),
});

/** RFC 5321's limit; replies go to the address itself, so nothing is added to it. */
const MAX_SECURITY_LOCAL_PART = 64;

/** Below SES's production quota (50,000 a day), so that Embargo stops before SES does. */
export const DEFAULT_MAX_MAILS_PER_DAY = 10_000;

const perDay = (fallback: number) => z.number().int().min(1).max(100_000).default(fallback);

/** A host name as a sender domain is written: labels of letters, digits and hyphens. */
const DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

/** An exempt sender: one address, or a whole domain (that domain only, not its subdomains). */
const exemptSender = z
  .string()
  .trim()
  .refine(
    (entry) => (entry.includes('@') ? z.email().safeParse(entry).success : DOMAIN.test(entry)),
    {
      message:
        'an exempt sender is an address ("cve@example.org") or a domain ("example.org", no @, no wildcard)',
    },
  );

/** How much mail one sender, and one sender domain, may have read in full in a rolling day. */
const floodLimitsSchema = fields({
  reportsPerAddress: perDay(5),
  reportsPerDomain: perDay(50),
  /** Follow-ups by a case's reporter on that case: counted apart, and more generously. */
  followUpsPerAddress: perDay(50),
  followUpsPerDomain: perDay(500),
  /**
   * Senders never counted (a distributor, a CNA that forwards many reports), but only for
   * mail whose From domain passed DMARC: by the From line alone, anyone could claim them.
   */
  exemptSenders: z.array(exemptSender).max(100).default([]),
});

export type FloodLimits = z.infer<typeof floodLimitsSchema>;

/** The file format of `embargo.config.json`. Unknown fields are errors, so typos do not pass silently. */
export const embargoConfigFileSchema = fields({
  project: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only'),
  securityAddress: z
    .email('must be an email address')
    .refine(
      (address) => address.slice(0, address.lastIndexOf('@')).length <= MAX_SECURITY_LOCAL_PART,
      {
        message: `its local part (before the @) must be at most ${MAX_SECURITY_LOCAL_PART} characters (RFC 5321)`,
      },
    ),
  announceAddress: z.email('must be an email address'),
  // Left out, local mode runs without maintainers (to try it); an empty list is a mistake:
  // reporters would be promised an answer that nobody receives.
  maintainers: z
    .array(maintainerEntry)
    .min(1, 'at least one maintainer is needed: reports go to the maintainers and nobody else')
    .default([]),
  ackWithinHours: z.number().positive().max(168).default(48),
  advanceNoticeDays: z.number().int().min(1).max(90).default(7),
  urgentNoticeDays: z.number().int().min(0).max(90).default(1),
  commandSignatureMaxAgeDays: z.number().positive().max(90).default(7),
  maxEmbargoDays: z.number().int().min(1).max(90).default(14),
  ossSecurity: z.email('must be an email address').optional(),
  acceptDkimDmarcCommands: z.boolean().default(false),
  mainBranch: z.string().min(1).default('main'),
  supportedReleases: z.array(z.string().min(1)).max(10).default([]),
  repositoryUrl: z.url().optional(),
  ecosystem: z.string().min(1).optional(),
  packageName: z.string().trim().min(1).max(214).optional(),
  osvIdPrefix: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$/,
      'a home-database prefix registered with OSV, e.g. "CURL" (leave it out to use the x_ form)',
    )
    .optional(),
  github: z
    .strictObject({
      repository: z
        .string()
        .regex(
          /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/,
          'the repository as owner/name, e.g. "example/cryptolib"',
        ),
      apiBaseUrl: z.url().default('https://api.github.com'),
    })
    .optional(),
  upstreamSenders: z.array(upstreamSender).default([]),
  flood: floodLimitsSchema.prefault({}),
  maxMailsPerDay: z.number().int().min(10).max(1_000_000).default(DEFAULT_MAX_MAILS_PER_DAY),
});

export type EmbargoConfigFile = z.infer<typeof embargoConfigFileSchema>;

/** A maintainer with the armored key already read, so runtimes without a file system (Lambda) can use it. */
export interface Maintainer {
  name: string;
  email: string;
  publicKeyArmored?: string;
  /** `false`: takes no encrypted mail, on purpose; Embargo does not ask for a key. */
  encryptedMail?: boolean;
}

/** The configuration the code works with: validated, defaults applied, key files read. */
export interface EmbargoConfig {
  project: string;
  securityAddress: string;
  announceAddress: string;
  maintainers: Maintainer[];
  ackWithinHours: number;
  advanceNoticeDays: number;
  urgentNoticeDays: number;
  /**
   * The longest embargo distributors accept, counted from their first advance notice (14 days
   * is the maximum of the Openwall distros list); `/disclose` warns past it.
   */
  maxEmbargoDays: number;
  /** The public list to post to on disclosure day (oss-security), if the project uses one. */
  ossSecurity?: string;
  /** Signed commands older than this are refused. */
  commandSignatureMaxAgeDays: number;
  /** Also accept commands in unsigned mail that SES found DKIM- and DMARC-aligned. Off by default. */
  acceptDkimDmarcCommands: boolean;
  /** Security support: the main branch and the most recent releases (policy: two). */
  mainBranch: string;
  supportedReleases: string[];
  repositoryUrl?: string;
  /** OSV ecosystem of the project's package, if it has one. */
  ecosystem?: string;
  /** The package name in that ecosystem, when it is not `project`. */
  packageName?: string;
  /** The OSV home-database prefix registered for the project; OSV ids use `x_` without one. */
  osvIdPrefix?: string;
  /** Senders of upstream security announcements (e.g. a bundled library's advisories list). */
  upstreamSenders: { name: string; address: string }[];
  /** Admission limits per sender address and domain over a rolling day (see docs/flood.md). */
  flood: FloodLimits;
  /** Mails Embargo sends a day at most, all kinds together; copies wait first near it. */
  maxMailsPerDay: number;
  /** Where `/ghsa` keeps the repository security advisory (see docs/github.md). */
  github?: { repository: string; apiBaseUrl: string };
}

export const defaultConfigFile: EmbargoConfigFile = {
  project: 'example',
  securityAddress: 'security@example.org',
  announceAddress: 'announce@example.org',
  maintainers: [],
  ackWithinHours: 48,
  advanceNoticeDays: 7,
  urgentNoticeDays: 1,
  commandSignatureMaxAgeDays: 7,
  maxEmbargoDays: 14,
  acceptDkimDmarcCommands: false,
  mainBranch: 'main',
  supportedReleases: [],
  upstreamSenders: [],
  flood: {
    reportsPerAddress: 5,
    reportsPerDomain: 50,
    followUpsPerAddress: 50,
    followUpsPerDomain: 500,
    exemptSenders: [],
  },
  maxMailsPerDay: DEFAULT_MAX_MAILS_PER_DAY,
};
