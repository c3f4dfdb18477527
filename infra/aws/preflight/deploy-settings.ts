import { z } from 'zod';
import { PreflightError } from './preflight-error';

/**
 * The deploy-time settings given as CDK context values (`cdk deploy -c name=value`), read and
 * checked in one place so that a typo or a bad value stops the synth with a message instead of
 * reaching CloudFormation. `npx embargo doctor` reads the same values (`-c name=value`), so the
 * preflight checks what the deploy will ask for.
 */
export interface DeploySettings {
  /**
   * Reserved concurrency per function; a function left out reserves none and shares the
   * account's unreserved pool. Default: none reserved (see RESERVED_CONCURRENCY_CONTEXT).
   */
  readonly reservedConcurrency: Partial<Record<EmbargoFunctionRole, number>>;
  /** While the account's SES is in the sandbox: the verified identities test reports come from. */
  readonly sandboxIdentities: readonly string[];
  /** A receipt rule set that is already active in the region, to add Embargo's rule to. */
  readonly existingRuleSet?: string;
}

export type EmbargoFunctionRole = 'intake' | 'notices' | 'ackWatch' | 'sendingEvents';

/**
 * The context value that sets each function's reserved concurrency. Nothing is reserved by
 * default: Lambda keeps part of the account's concurrency quota unreserved (the quota's
 * "minimum unreserved"; 100 on an account with the standard quota of 1,000), and a new
 * account whose quota is 10 must keep all 10 unreserved, so it can reserve none. See
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
export const RESERVED_CONCURRENCY_CONTEXT: Record<EmbargoFunctionRole, string> = {
  intake: 'intakeConcurrency',
  notices: 'noticesConcurrency',
  ackWatch: 'ackWatchConcurrency',
  sendingEvents: 'sendingEventsConcurrency',
};

/** What the functions reserved before this was configurable, for accounts that have room. */
export const SUGGESTED_RESERVATIONS: Record<EmbargoFunctionRole, number> = {
  intake: 10,
  notices: 5,
  ackWatch: 1,
  sendingEvents: 2,
};

const flag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true');
const concurrency = z.coerce.number().int().min(1).max(1000);
// An address (kevin@example.net) or a domain (example.net) that SES has verified.
const identity = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^([^@\s,]+@)?[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'an email address or a domain');
const ruleSetName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}[A-Za-z0-9]?$/);

/** A context lookup: the stack's `node.tryGetContext`, or doctor's `-c` values. */
export type ContextLookup = (name: string) => unknown;

export class DeploySettingsError extends PreflightError {
  constructor(reason: string, action: string) {
    super('DEPLOY_SETTING_INVALID', reason, action);
  }
}

function parse<T>(
  lookup: ContextLookup,
  name: string,
  schema: z.ZodType<T>,
  example: string,
): T | undefined {
  const value = lookup(name);
  if (value === undefined || value === '') return undefined;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new DeploySettingsError(
      `The ${name} context value is not valid (${JSON.stringify(value)}: ${result.error.issues[0]?.message}).`,
      `Give it as in this example: -c ${name}=${example}`,
    );
  }
  return result.data;
}

/** Reads and checks the deploy settings; throws a DeploySettingsError that says what to change. */
export function readDeploySettings(lookup: ContextLookup): DeploySettings {
  const reservedConcurrency: Partial<Record<EmbargoFunctionRole, number>> = {};
  for (const [role, name] of Object.entries(RESERVED_CONCURRENCY_CONTEXT) as [
    EmbargoFunctionRole,
    string,
  ][]) {
    const value = parse(lookup, name, concurrency, String(SUGGESTED_RESERVATIONS[role]));
    if (value !== undefined) reservedConcurrency[role] = value;
  }

  const sandbox = parse(lookup, 'sesSandbox', flag, 'true') ?? false;
  const listed = parse(
    lookup,
    'sandboxIdentities',
    z.string(),
    'you@example.net,tester@example.com',
  );
  const sandboxIdentities =
    listed === undefined
      ? []
      : listed
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
  for (const item of sandboxIdentities)
    parse(() => item, 'sandboxIdentities', identity, 'you@example.net');
  if (sandbox && sandboxIdentities.length === 0) {
    throw new DeploySettingsError(
      'sesSandbox=true needs the verified identities your test reports come from.',
      'Add -c sandboxIdentities=you@example.net (comma-separated addresses or domains).',
    );
  }
  if (!sandbox && sandboxIdentities.length > 0) {
    throw new DeploySettingsError(
      'sandboxIdentities is only used while the account is in the SES sandbox.',
      'Add -c sesSandbox=true, or leave sandboxIdentities out once SES production access is granted.',
    );
  }

  const existingRuleSet = parse(lookup, 'existingRuleSet', ruleSetName, 'my-active-rule-set');
  return {
    reservedConcurrency,
    sandboxIdentities: sandboxIdentities.map((item) => item.toLowerCase()),
    existingRuleSet,
  };
}

/** The total the settings reserve. */
export function totalReserved(settings: DeploySettings): number {
  return Object.values(settings.reservedConcurrency).reduce((sum, n) => sum + (n ?? 0), 0);
}

/**
 * How many containers may send mail at once: the sum of the reserved concurrency of the four
 * functions, each of which sends, when every one has a reservation (a function's reserved
 * concurrency is also its maximum). Undefined when one has none: it may then run as many
 * containers as the account's unreserved concurrency allows.
 */
export function sendingContainers(settings: DeploySettings): number | undefined {
  const roles = Object.keys(RESERVED_CONCURRENCY_CONTEXT) as EmbargoFunctionRole[];
  if (roles.some((role) => settings.reservedConcurrency[role] === undefined)) return undefined;
  return totalReserved(settings);
}
