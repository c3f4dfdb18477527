import { totalReserved } from '../../../aws/preflight/deploy-settings';
import { type CheckResult, fail, notChecked, pass } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = 'Lambda concurrency';

/**
 * What Lambda keeps unreserved: 100 with the standard quota, and all of a quota below that (a
 * new account's quota of 10 leaves nothing to reserve).
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
 */
export const minimumUnreserved = (quota: number): number => Math.min(100, quota);

export function checkConcurrency(facts: Pick<DoctorFacts, 'lambda' | 'settings'>): CheckResult {
  if (!facts.lambda.ok) return notChecked(TITLE, facts.lambda.problem);
  const { concurrencyQuota, unreserved } = facts.lambda.value;
  const wanted = totalReserved(facts.settings);
  const minimum = minimumUnreserved(concurrencyQuota);
  const room = Math.max(0, unreserved - minimum);
  if (wanted === 0) {
    return pass(
      TITLE,
      `Nothing is reserved; the functions share the account's ${unreserved} unreserved of ${concurrencyQuota}.`,
    );
  }
  if (wanted <= room) {
    return pass(
      TITLE,
      `The reservations (${wanted}) fit: ${unreserved} unreserved, Lambda keeps ${minimum}.`,
    );
  }
  return fail(
    TITLE,
    `The reservations (${wanted}) do not fit: ${unreserved} of the quota of ${concurrencyQuota} are unreserved and Lambda keeps ${minimum} of them, so at most ${room} can be reserved.`,
    `Reserve at most ${room} in total (-c intakeConcurrency=… and the others; leave them out to reserve none), or request a higher "Concurrent executions" quota in Service Quotas. If the stack already reserves some, those are counted as reserved here; the deploy replaces them.`,
  );
}
