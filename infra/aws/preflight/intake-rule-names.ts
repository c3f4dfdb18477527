import { INTAKE_RULE_NAME, ruleSetNameFor } from '../names';

/**
 * The rule set and rule that receive the security address's mail: the stack's own set
 * `embargo-<project>` with the rule `intake`, or, with `-c existingRuleSet=<set>`, that set with
 * a rule named for the project (beside the rules already there).
 */
export function intakeRuleNames(
  project: string,
  existingRuleSet?: string,
): { ruleSetName: string; ruleName: string } {
  return existingRuleSet === undefined
    ? { ruleSetName: ruleSetNameFor(project), ruleName: INTAKE_RULE_NAME }
    : { ruleSetName: existingRuleSet, ruleName: ruleSetNameFor(project) };
}
