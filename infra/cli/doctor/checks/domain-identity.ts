import { type CheckResult, fail, notChecked, pass, warn } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';
import { stackDeployed } from './stack-status';

const TITLE = 'Domain identity';

/**
 * Before the deploy the domain must not be an SES identity yet (the stack creates it, and
 * CloudFormation cannot create one that exists); after it, the identity must be verified.
 */
export function checkDomainIdentity(
  facts: Pick<DoctorFacts, 'identity' | 'domain' | 'stack'>,
): CheckResult {
  if (!facts.identity.ok) return notChecked(TITLE, facts.identity.problem);
  const identity = facts.identity.value;
  const { domain } = facts;
  if (!stackDeployed(facts)) {
    if (!facts.stack.ok) {
      return identity.exists
        ? warn(
            TITLE,
            `${domain} is an SES identity; whether the stack exists could not be checked.`,
            `If the stack is not deployed, the deploy will fail on it: delete it first if nothing else uses it (aws sesv2 delete-email-identity --email-identity ${domain}).`,
          )
        : pass(TITLE, `${domain} is not an SES identity yet; the deploy creates it.`);
    }
    if (identity.exists) {
      return fail(
        TITLE,
        `${domain} is already an SES identity in this account and region; the deploy would fail creating it.`,
        `If nothing else sends as ${domain}, delete it (aws sesv2 delete-email-identity --email-identity ${domain}) and deploy; otherwise use an address on a subdomain set aside for Embargo.`,
      );
    }
    return pass(TITLE, `${domain} is not an SES identity yet; the deploy creates it.`);
  }
  if (!identity.exists) {
    return fail(
      TITLE,
      `The stack is deployed but ${domain} is not an SES identity.`,
      'Deploy again (npx cdk deploy) so that CloudFormation recreates it.',
    );
  }
  if (!identity.verifiedForSending) {
    return fail(
      TITLE,
      `${domain} is not verified yet (DKIM ${identity.dkimStatus ?? 'unknown'}).`,
      'Publish the three DKIM CNAME records (stack outputs DkimRecord1-3, docs/deploy.md step 4) and wait; SES checks them for up to 72 hours.',
    );
  }
  if (!identity.dkimSigning) {
    return warn(
      TITLE,
      `${domain} is verified, but DKIM signing is off.`,
      `Turn it on (aws sesv2 put-email-identity-dkim-attributes --email-identity ${domain} --signing-enabled): DMARC passes only with the aligned DKIM signature.`,
    );
  }
  return pass(TITLE, `${domain} is verified and signs with DKIM.`);
}
