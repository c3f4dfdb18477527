import { type CheckResult, fail, notChecked, pass } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = 'Sandbox recipients';

/**
 * In the SES sandbox SES sends only to verified identities, at most one message a second and
 * 200 a day (https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html), and the
 * stack lets the functions send only to the sandbox identities (-c sandboxIdentities). Intake
 * mails every maintainer at once, and notices go to distributors and the announce list: each of
 * them must be covered, or those mails fail.
 */
export function checkSandboxRecipients(
  facts: Pick<DoctorFacts, 'recipients' | 'settings' | 'region'>,
): CheckResult | undefined {
  if (!facts.recipients) return undefined; // production access: nothing to check
  if (!facts.recipients.ok) return notChecked(TITLE, facts.recipients.problem);
  const allowed = new Set(facts.settings.sandboxIdentities.map((i) => i.toLowerCase()));
  const unverified = facts.recipients.value.filter((r) => !r.verifiedAs);
  const notAllowed = facts.recipients.value.filter(
    (r) => r.verifiedAs && !allowed.has(r.verifiedAs),
  );
  const list = (rs: typeof unverified) => rs.map((r) => `${r.address} (${r.role})`).join(', ');
  const problems: string[] = [];
  const actions: string[] = [];
  if (unverified.length) {
    problems.push(`SES may not send to ${list(unverified)}: not verified in ${facts.region}.`);
    actions.push(
      `Verify each (aws sesv2 create-email-identity --email-identity <address>, then the link SES mails), or request production access (docs/deploy.md step 6).`,
    );
  }
  if (notAllowed.length) {
    const identities = [...new Set(notAllowed.map((r) => r.verifiedAs!))];
    problems.push(
      `The functions may not send to ${list(notAllowed)}: not in -c sandboxIdentities.`,
    );
    actions.push(
      `Deploy with -c sandboxIdentities=${[...allowed, ...identities].join(',')} (and give doctor the same).`,
    );
  }
  if (problems.length) return fail(TITLE, problems.join(' '), actions.join(' '));
  return pass(
    TITLE,
    `All ${facts.recipients.value.length} addresses Embargo mails are verified and allowed (sandbox: 1 message a second, 200 a day).`,
  );
}
