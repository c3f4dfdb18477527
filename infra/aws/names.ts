/**
 * Names derived from the project name. A project may contain ".", "_" and "-" (see the config
 * schema); CloudFormation stack names allow only letters, digits and "-", and SES rule-set names
 * must start and end with a letter or digit, so both are normalised here.
 */

const MAX_STACK_NAME = 128;
const MAX_RULE_SET_NAME = 64;

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

/** The one receipt rule in the set. Fixed, so the bucket policy can name its ARN. */
export const INTAKE_RULE_NAME = 'intake';

/** The domain part of an address, lower-cased (SES identities are case-insensitive). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) {
    throw new Error(`"${address}" is not an email address; cannot derive its domain`);
  }
  return address.slice(at + 1).toLowerCase();
}
