import { type CheckResult, fail, notChecked, pass, warn } from '../check-result';
import type { DoctorFacts } from '../doctor-facts';
import { stackDeployed } from './stack-status';

const TITLE = 'Receipt rule set';

type RuleFacts = Pick<
  DoctorFacts,
  'activeRuleSet' | 'expectedRule' | 'settings' | 'securityAddress' | 'stack'
>;

/** SES applies only the active rule set (one per region): it must be the one with Embargo's rule. */
export function checkReceiptRuleSet(facts: RuleFacts): CheckResult {
  if (!facts.activeRuleSet.ok) return notChecked(TITLE, facts.activeRuleSet.problem);
  const active = facts.activeRuleSet.value;
  const { ruleSetName, ruleName } = facts.expectedRule;
  const deployed = stackDeployed(facts);
  const ownSet = facts.settings.existingRuleSet === undefined;

  if (!active.name) {
    if (!ownSet) {
      return fail(
        TITLE,
        `No rule set is active, but the deploy uses the existing set ${ruleSetName} (-c existingRuleSet).`,
        `Activate it (aws ses set-active-receipt-rule-set --rule-set-name ${ruleSetName}) or deploy without -c existingRuleSet.`,
      );
    }
    return deployed
      ? fail(
          TITLE,
          'No receipt rule set is active, so SES receives nothing.',
          `Activate Embargo's: aws ses set-active-receipt-rule-set --rule-set-name ${ruleSetName} (the ActivateReceiptRuleSet output).`,
        )
      : pass(
          TITLE,
          `No rule set is active; after the deploy, activate ${ruleSetName} (docs/deploy.md step 5).`,
        );
  }

  if (active.name !== ruleSetName) {
    const summary = `The active rule set is ${active.name}, not ${ruleSetName}.`;
    const action = `Activating ${ruleSetName} would deactivate ${active.name} and every domain it serves would stop receiving mail: deploy with -c existingRuleSet=${active.name} instead, which adds Embargo's rule to it (docs/deploy.md step 5).`;
    return deployed ? fail(TITLE, summary, action) : warn(TITLE, summary, action);
  }

  const rule = active.rules.find((r) => r.name === ruleName);
  if (!rule) {
    return deployed
      ? fail(
          TITLE,
          `The active rule set ${active.name} has no rule ${ruleName}.`,
          'Deploy again (npx cdk deploy with the same -c values) so that CloudFormation recreates it.',
        )
      : pass(TITLE, `${active.name} is active; the deploy adds the rule ${ruleName} to it.`);
  }
  if (!rule.enabled) {
    return fail(
      TITLE,
      `The rule ${ruleName} in ${active.name} is disabled.`,
      'Deploy again to enable it.',
    );
  }
  const address = facts.securityAddress.toLowerCase();
  if (!rule.recipients.map((r) => r.toLowerCase()).includes(address)) {
    return fail(
      TITLE,
      `The rule ${ruleName} does not list ${facts.securityAddress}.`,
      'Deploy again from the embargo.config.json in use.',
    );
  }
  return pass(
    TITLE,
    `${active.name} is active and its rule ${ruleName} takes mail for ${facts.securityAddress}.`,
  );
}
