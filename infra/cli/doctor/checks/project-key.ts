import { groupFingerprint } from '../../../../shared/pgp/fingerprint-text';
import { type CheckResult, fail, notChecked, pass, skip } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = 'Project key';

/** `Name <addr>` or a bare address, as OpenPGP user ids carry it. */
const addressOf = (userId: string) =>
  (/<([^>]+)>/.exec(userId)?.[1] ?? userId).trim().toLowerCase();

export function checkProjectKey(
  facts: Pick<DoctorFacts, 'projectKey' | 'securityAddress'>,
): CheckResult {
  if (!facts.projectKey) {
    return skip(
      TITLE,
      'No project key secret to read: the stack is not deployed (or has no ProjectKeySecretArn output).',
      'After the deploy, run doctor again, or name the secret with --secret <arn>.',
    );
  }
  if (!facts.projectKey.ok) return notChecked(TITLE, facts.projectKey.problem);
  const key = facts.projectKey.value;
  if (!key.readable) {
    return fail(
      TITLE,
      `The project key secret does not hold a usable key: ${key.problem}`,
      'Import the project key as described in docs/deploy.md step 3.',
    );
  }
  const address = facts.securityAddress.toLowerCase();
  if (!key.userIds.map(addressOf).includes(address)) {
    return fail(
      TITLE,
      `The project key ${groupFingerprint(key.fingerprint)} has no user id for ${facts.securityAddress} (it has ${key.userIds.join(', ') || 'none'}).`,
      `Reporters' tools encrypt to a key whose user id is the address they write to: add the user id (gpg --quick-add-uid <fingerprint> ${facts.securityAddress}) and import the key again.`,
    );
  }
  return pass(
    TITLE,
    `The secret holds ${groupFingerprint(key.fingerprint)} for ${facts.securityAddress}, able to decrypt and sign.`,
  );
}
