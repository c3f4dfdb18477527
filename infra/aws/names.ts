import { EmbargoError } from '../../shared/errors';
/**
 * Names derived from the project name. A project may contain ".", "_" and "-" (see the config
 * schema); CloudFormation stack names allow only letters, digits and "-", and SES rule-set names
 * must start and end with a letter or digit, so both are normalised here.
 */

const MAX_STACK_NAME = 128;
const MAX_RULE_SET_NAME = 64;
const MAX_SCHEDULE_GROUP_NAME = 64;
const MAX_FUNCTION_NAME = 64;
const MAX_CONFIGURATION_SET_NAME = 64;

/** The CloudFormation stack name (and construct id) for a project: `Embargo-<project>`. */
export function stackNameFor(project: string): string {
  const safe = project.replace(/[^A-Za-z0-9-]/g, '-');
  return `Embargo-${safe}`.slice(0, MAX_STACK_NAME).replace(/-+$/, '');
}

/** The SES receipt rule set name for a project: `embargo-<project>`. */
export function ruleSetNameFor(project: string): string {
  const safe = project.replace(/[^A-Za-z0-9._-]/g, '-');
  return `embargo-${safe}`.slice(0, MAX_RULE_SET_NAME).replace(/[^A-Za-z0-9]+$/, '');
}

/**
 * The EventBridge Scheduler group for a project's schedules: `embargo-<project>`. Group names
 * allow letters, digits, ".", "_" and "-", up to 64 characters.
 */
export function scheduleGroupNameFor(project: string): string {
  const safe = project.replace(/[^A-Za-z0-9._-]/g, '-');
  return `embargo-${safe}`.slice(0, MAX_SCHEDULE_GROUP_NAME).replace(/[^A-Za-z0-9]+$/, '');
}

/**
 * A fixed Lambda function name, `embargo-<project>-<role>`, for a function whose ARN must be
 * known before it exists (the notices function's ARN is in its own environment). Function names
 * allow letters, digits, "-" and "_", up to 64 characters; the project part is shortened.
 */
export function functionNameFor(project: string, role: string): string {
  const suffix = `-${role}`;
  const safe = project.replace(/[^A-Za-z0-9_-]/g, '-');
  const head = `embargo-${safe}`.slice(0, MAX_FUNCTION_NAME - suffix.length).replace(/-+$/, '');
  return `${head}${suffix}`;
}

/**
 * The SES configuration set all of a project's mail is sent with: `embargo-<project>`. Names
 * allow letters, digits, "-" and "_", up to 64 characters.
 */
export function configurationSetNameFor(project: string): string {
  const safe = project.replace(/[^A-Za-z0-9_-]/g, '-');
  return `embargo-${safe}`.slice(0, MAX_CONFIGURATION_SET_NAME).replace(/[^A-Za-z0-9]+$/, '');
}

/** The recurring acknowledgment watch in the schedule group (notice schedules are `<case>-…`). */
export const ACK_WATCH_SCHEDULE_NAME = 'ack-watch';

/** The one receipt rule in the set. Fixed, so the bucket policy can name its ARN. */
export const INTAKE_RULE_NAME = 'intake';

/** The domain part of an address, lower-cased (SES identities are case-insensitive). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    throw new EmbargoError(
      'ADDRESS_INVALID',
      `"${address}" is not an email address, so it has no domain to verify in SES.`,
      'Correct the address in embargo.config.json.',
    );
  }
  return address.slice(at + 1).toLowerCase();
}
