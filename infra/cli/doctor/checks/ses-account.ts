import { type CheckResult, fail, notChecked, pass, warn } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = 'SES account';
const PRODUCTION_ACCESS =
  'Request production access for this region (SES console, Account dashboard, or aws sesv2 put-account-details; docs/deploy.md step 6).';

export function checkSesAccount(
  facts: Pick<DoctorFacts, 'sesAccount' | 'settings' | 'region'>,
): CheckResult {
  if (!facts.sesAccount.ok) return notChecked(TITLE, facts.sesAccount.problem);
  const account = facts.sesAccount.value;
  const identities = facts.settings.sandboxIdentities;
  if (!account.sendingEnabled || account.enforcementStatus === 'SHUTDOWN') {
    return fail(
      TITLE,
      `SES sending is paused for this account in ${facts.region} (${account.enforcementStatus ?? 'sending disabled'}).`,
      'No acknowledgment or copy can go out. See the SES console (Reputation metrics, Account dashboard) and contact AWS Support.',
    );
  }
  if (account.enforcementStatus === 'PROBATION') {
    return warn(
      TITLE,
      'The account is on probation for its bounce or complaint rate.',
      'Check the addresses you send to (SES console, Reputation metrics) before SES pauses sending.',
    );
  }
  if (!account.productionAccess) {
    if (identities.length === 0) {
      return warn(
        TITLE,
        `SES is in the sandbox in ${facts.region}: it sends only to verified identities, so acknowledgments to reporters fail.`,
        `${PRODUCTION_ACCESS} Until then, verify the address you test from and every address Embargo mails (see Sandbox recipients), and deploy with -c sesSandbox=true -c sandboxIdentities=<those identities>.`,
      );
    }
    return warn(
      TITLE,
      `SES is in the sandbox in ${facts.region}; the functions may send to ${identities.join(', ')} (sandboxIdentities).`,
      `Test from those. ${PRODUCTION_ACCESS}`,
    );
  }
  if (identities.length > 0) {
    return warn(
      TITLE,
      'SES has production access, but the deploy is told the account is in the sandbox.',
      'Deploy without -c sesSandbox and -c sandboxIdentities: the functions need not send to those identities any more.',
    );
  }
  return pass(TITLE, `SES has production access in ${facts.region}.`);
}
