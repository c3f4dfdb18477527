import type { CheckResult } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';
import { checkConcurrency } from './concurrency';
import { checkDkimRecords } from './dkim-records';
import { checkDomainIdentity } from './domain-identity';
import { checkMaintainerKeys } from './maintainer-keys';
import { checkMxRecord } from './mx-record';
import { checkProjectKey } from './project-key';
import { checkReceiptRuleSet } from './receipt-rule-set';
import { checkReceivingRegion } from './receiving-region';
import { checkSandboxRecipients } from './sandbox-recipients';
import { checkSesAccount } from './ses-account';
import { checkStackStatus } from './stack-status';

/** Every check, in the order a first deploy meets them. */
export function runChecks(facts: DoctorFacts): CheckResult[] {
  const sandbox = checkSandboxRecipients(facts);
  return [
    checkReceivingRegion(facts),
    checkStackStatus(facts),
    checkSesAccount(facts),
    ...(sandbox ? [sandbox] : []),
    checkDomainIdentity(facts),
    checkDkimRecords(facts),
    checkMxRecord(facts),
    checkReceiptRuleSet(facts),
    checkConcurrency(facts),
    checkProjectKey(facts),
    checkMaintainerKeys(facts),
  ];
}
