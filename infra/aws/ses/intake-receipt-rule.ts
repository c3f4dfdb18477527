import {
  ArnFormat,
  type Stack,
  aws_ses as ses,
  aws_ses_actions as sesActions,
  type aws_iam as iam,
  type aws_lambda as lambda,
  type aws_s3 as s3,
} from 'aws-cdk-lib';
import { intakeRuleNames } from '../preflight/intake-rule-names';
import { SesS3Delivery } from './ses-s3-delivery';

/**
 * Where the intake rule lives: in the stack's own rule set (which the operator activates), or,
 * with `-c existingRuleSet=<name>`, in a rule set that is already active in the region, so that
 * the domains it serves keep receiving mail (SES applies one active set per region:
 * https://docs.aws.amazon.com/ses/latest/dg/receiving-email-concepts.html#receiving-email-concepts-rules).
 */
export interface IntakeRulePlacement {
  /** The rule set the rule is in. */
  readonly ruleSetName: string;
  readonly ruleName: string;
  /** The rule's ARN, for the policies that let SES act for it only. */
  readonly ruleArn: string;
  /** Whether the stack creates the rule set (and the operator must activate it). */
  readonly ownRuleSet: boolean;
}

export function intakeRulePlacement(
  stack: Stack,
  project: string,
  existingRuleSet?: string,
): IntakeRulePlacement {
  const ownRuleSet = existingRuleSet === undefined;
  const { ruleSetName, ruleName } = intakeRuleNames(project, existingRuleSet);
  const ruleArn = stack.formatArn({
    service: 'ses',
    resource: 'receipt-rule-set',
    resourceName: `${ruleSetName}:receipt-rule/${ruleName}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
  return { ruleSetName, ruleName, ruleArn, ownRuleSet };
}

export interface IntakeRuleProps {
  readonly placement: IntakeRulePlacement;
  readonly securityAddress: string;
  readonly bucket: s3.Bucket;
  readonly objectKeyPrefix: string;
  /** The role SES writes raw mail with (ses-raw-mail-role.ts). */
  readonly rawMailRole: iam.IRole;
  readonly intake: lambda.IFunction;
}

/** The rule set (created or imported) and the intake rule in it. */
export function createIntakeRule(stack: Stack, props: IntakeRuleProps): ses.IReceiptRuleSet {
  const { placement } = props;
  const actions: ses.IReceiptRuleAction[] = [
    new SesS3Delivery({
      bucket: props.bucket,
      objectKeyPrefix: props.objectKeyPrefix,
      role: props.rawMailRole,
    }),
    new sesActions.Lambda({
      function: props.intake,
      invocationType: sesActions.LambdaInvocationType.EVENT,
    }),
  ];
  const rule: ses.ReceiptRuleOptions = {
    receiptRuleName: placement.ruleName,
    // Listing the address also matches its `local+label@domain` forms (the reply addresses).
    recipients: [props.securityAddress],
    scanEnabled: true,
    tlsPolicy: ses.TlsPolicy.REQUIRE,
    enabled: true,
    actions,
  };
  if (placement.ownRuleSet) {
    const ruleSet = new ses.ReceiptRuleSet(stack, 'ReceiptRuleSet', {
      receiptRuleSetName: placement.ruleSetName,
    });
    ruleSet.addRule('IntakeRule', rule);
    return ruleSet;
  }
  const ruleSet = ses.ReceiptRuleSet.fromReceiptRuleSetName(
    stack,
    'ExistingRuleSet',
    placement.ruleSetName,
  );
  // First in the set (no `after`), and stop there: the set's other rules (a catch-all for the
  // domain, say) must not also get the security address's mail.
  new ses.ReceiptRule(stack, 'SharedSetIntakeRule', {
    ...rule,
    ruleSet,
    actions: [...actions, new sesActions.Stop()],
  });
  return ruleSet;
}
