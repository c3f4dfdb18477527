import { type CheckResult, fail, notChecked, pass, warn } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';

const TITLE = 'Stack';

/** Whether the stack is deployed, and what to do about one left by a failed deploy. */
export function checkStackStatus(facts: Pick<DoctorFacts, 'stack' | 'stackName'>): CheckResult {
  if (!facts.stack.ok) return notChecked(TITLE, facts.stack.problem);
  const stack = facts.stack.value;
  const name = facts.stackName;
  if (!stack) return pass(TITLE, `${name} is not deployed yet.`);
  const status = stack.status ?? 'unknown';
  if (status === 'ROLLBACK_COMPLETE') {
    return fail(
      TITLE,
      `${name} is ${status}: its first deploy failed and was rolled back.`,
      `Read the cause in its events (aws cloudformation describe-stack-events --stack-name ${name}), fix it, then delete the stack (aws cloudformation delete-stack --stack-name ${name}) and the case table it left (docs/deploy.md, Teardown) before deploying again.`,
    );
  }
  if (status.endsWith('_FAILED')) {
    return fail(
      TITLE,
      `${name} is ${status}.`,
      `Read the events (aws cloudformation describe-stack-events --stack-name ${name}). A bucket that was not empty is the usual cause: empty it (every object version) and delete the stack again (docs/deploy.md, Teardown).`,
    );
  }
  if (status.endsWith('_IN_PROGRESS')) {
    return warn(
      TITLE,
      `${name} is ${status}.`,
      'Wait until the operation ends and run doctor again.',
    );
  }
  if (status === 'UPDATE_ROLLBACK_COMPLETE') {
    return warn(
      TITLE,
      `${name} is ${status}: the last update failed and the previous version is running.`,
      `Read the cause in the stack events (aws cloudformation describe-stack-events --stack-name ${name}).`,
    );
  }
  return pass(TITLE, `${name} is ${status}.`);
}

/** Whether the stack exists (deployed, in whatever state). */
export const stackDeployed = (facts: Pick<DoctorFacts, 'stack'>): boolean =>
  facts.stack.ok && facts.stack.value !== undefined;
