import { z } from 'zod';
import { unknownFieldsError } from './unknown-fields';
import type { EmbargoConfig, Maintainer } from './resolved-config';

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

/** A regular expression as a maintainer writes it in the file: it must compile. */
const pattern = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a regular expression JavaScript can read (flags i and u are added)' },
);

/** A name a maintainer types after a command: `/reply out-of-scope`, a requirement's id. */
const triageName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and "-" (at most 40)');

/** What tells that a text has something: words or phrases, and regular expressions. */
const matchTerms = {
  keywords: z.array(z.string().trim().min(1)).max(50).default([]),
  patterns: z.array(pattern).max(20).default([]),
};

/** A fact the acknowledgment asks for when a report lacks it (docs/triage.md). */
const reportRequirement = fields({
  id: triageName,
  /** The project's own words, one item of the acknowledgment's list. */
  ask: z.string().trim().min(1).max(300),
  ...matchTerms,
});

/** One rule of the project's threat model: shown on a matching report, never enforced. */
const outOfScopeRule = fields({
  id: triageName,
  /** The rule in a few words, as the maintainers' copy names it. */
  rule: z.string().trim().min(1).max(200),
  ...matchTerms,
  /** What `/reply out-of-scope` sends the reporter. */
  reply: z.string().trim().min(1).max(5000),
});

/** The file format of `embargo.config.json`. Unknown fields are errors, so typos do not pass silently. */
/** A GitHub repository, as owner/name. */
const repositoryName = z
  .string()
  .regex(
    /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/,
    'the repository as owner/name, e.g. "example/cryptolib"',
  );

/** A folder inside a repository that records are committed to: relative, and never above it. */
const repositoryFolder = (example: string) =>
  z
    .string()
    .regex(
      /^(?:[A-Za-z0-9._-]+\/)*[A-Za-z0-9._-]*$/,
      `a folder inside the repository, e.g. ${example} (no leading "/")`,
    )
    .refine((f) => !f.split('/').includes('..'), { message: 'no ".." in the folder' });

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
  distributorReminderDays: z.number().int().min(1).max(30).default(2),
  distributorConsent: z.enum(['with-notice', 'before-details']).default('with-notice'),
  invitationWindowDays: z.number().int().min(1).max(30).default(3),
  ossSecurity: z.email('must be an email address').optional(),
  ossSecurityPost: z.enum(['draft', 'send']).optional(),
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
      repository: repositoryName,
      apiBaseUrl: z.url().default('https://api.github.com'),
    })
    .optional(),
  osv: z
    .strictObject({
      repository: repositoryName,
      folder: repositoryFolder('"osv" or "advisories/osv"').default('osv'),
      branch: z.string().min(1).optional(),
    })
    .optional(),
  csaf: z
    .strictObject({
      repository: repositoryName,
      folder: repositoryFolder('"csaf" or "docs/.well-known/csaf"').default('csaf'),
      branch: z.string().min(1).optional(),
      // Where that folder is served (CSAF requirement 3: over TLS), e.g. by GitHub Pages.
      baseUrl: z
        .url()
        .refine((u) => u.startsWith('https://'), {
          message: 'an https:// URL (a CSAF provider serves its files over TLS)',
        })
        .transform((u) => (u.endsWith('/') ? u : `${u}/`)),
    })
    .optional(),
  upstreamSenders: z.array(upstreamSender).default([]),
  flood: floodLimitsSchema.prefault({}),
  maxMailsPerDay: z.number().int().min(10).max(1_000_000).default(DEFAULT_MAX_MAILS_PER_DAY),
  /** Left out: the three of shared/triage/report-requirements.ts; `[]` asks for nothing. */
  reportRequirements: z.array(reportRequirement).max(10).optional(),
  outOfScope: z.array(outOfScopeRule).max(30).default([]),
  askAboutAi: z.boolean().default(false),
  replyTemplates: z
    .record(triageName, z.string().trim().min(1).max(5000))
    .refine((templates) => Object.keys(templates).length <= 50, {
      message: 'at most 50 templates',
    })
    .default({}),
}).superRefine((config, ctx) => {
  // The OSV commit goes through the GitHub token and API that `github` sets up.
  if (config.osv && !config.github)
    ctx.addIssue({
      code: 'custom',
      path: ['osv'],
      message: 'needs `github` as well: the OSV record is committed with its token and API',
    });
  if (config.csaf && !config.github)
    ctx.addIssue({
      code: 'custom',
      path: ['csaf'],
      message: 'needs `github` as well: the CSAF files are committed with its token and API',
    });
  if (config.ossSecurityPost && !config.ossSecurity)
    ctx.addIssue({
      code: 'custom',
      path: ['ossSecurityPost'],
      message: 'needs `ossSecurity`, the list address the post goes to',
    });
});

export type EmbargoConfigFile = z.infer<typeof embargoConfigFileSchema>;

/*
 * The types the code works with are those of the resolved form (resolved-config.ts, which the
 * Lambdas check with zod/mini): this file's schema reads the file, that one the result.
 */
export type { EmbargoConfig, Maintainer } from './resolved-config';

/** Each written out as one object type first: the check compares types, not how zod builds them. */
type Flat<T> = { [K in keyof T]: T[K] };
type Equal<X, Y> = SameType<Flat<X>, Flat<Y>>;
type SameType<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type FileEntry = EmbargoConfigFile['maintainers'][number];

/**
 * The file schema and the resolved schema describe the same configuration: a field added to,
 * or typed differently in, only one of them fails `tsc` here. They differ on purpose only in
 * how a maintainer's key is given (a file path here, the armored text there).
 */
type Holds<T extends true> = T;
export type _FieldsAgree = Holds<
  Equal<Omit<EmbargoConfigFile, 'maintainers'>, Omit<EmbargoConfig, 'maintainers'>>
>;
export type _MaintainersAgree = Holds<
  Equal<Omit<FileEntry, 'publicKeyFile'>, Omit<Maintainer, 'publicKeyArmored'>>
>;

/** Local mode's configuration when there is no file: the schema's defaults and example addresses. */
export const defaultConfigFile: EmbargoConfigFile = embargoConfigFileSchema.parse({
  project: 'example',
  securityAddress: 'security@example.org',
  announceAddress: 'announce@example.org',
});
