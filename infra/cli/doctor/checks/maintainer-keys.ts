import { type CheckResult, fail, pass, warn } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = "Maintainers' keys";
const addressOf = (userId: string) =>
  (/<([^>]+)>/.exec(userId)?.[1] ?? userId).trim().toLowerCase();

export function checkMaintainerKeys(facts: Pick<DoctorFacts, 'maintainers'>): CheckResult {
  const { maintainers } = facts;
  if (maintainers.length === 0) {
    return fail(
      TITLE,
      'No maintainers are configured, so no one is sent the reports.',
      'Add maintainers with their public key files to embargo.config.json and deploy again.',
    );
  }
  const unusable = maintainers.filter((m) => !m.inspection?.usable);
  if (unusable.length > 0) {
    const lines = unusable.map(
      (m) =>
        `${m.name} <${m.email}>: ${m.inspection ? (m.inspection as { problem: string }).problem : 'no public key configured'}`,
    );
    return fail(
      TITLE,
      `${unusable.length} of ${maintainers.length} maintainers cannot be sent reports: ${lines.join('; ')}.`,
      'Give each a current public key with an encryption subkey (publicKeyFile in embargo.config.json) and deploy again.',
    );
  }
  const mismatched = maintainers.filter(
    (m) =>
      m.inspection?.usable && !m.inspection.userIds.map(addressOf).includes(m.email.toLowerCase()),
  );
  if (mismatched.length > 0) {
    return warn(
      TITLE,
      `The keys of ${mismatched.map((m) => `${m.name} <${m.email}>`).join(', ')} have no user id for that address.`,
      "Their mail tools may not find the key to reply with: check that the key file is that maintainer's key for that address.",
    );
  }
  return pass(
    TITLE,
    maintainers.length === 1
      ? 'The maintainer has a usable key for their address.'
      : `All ${maintainers.length} maintainers have usable keys for their addresses.`,
  );
}
