import type { aws_iam as iam, aws_s3 as s3, aws_ses as ses } from 'aws-cdk-lib';

export interface SesS3DeliveryProps {
  /** The bucket SES writes raw mail to. */
  readonly bucket: s3.IBucket;
  /** Key prefix for stored messages; the object key is `<prefix><SES message id>`. */
  readonly objectKeyPrefix: string;
  /** The role SES writes with (ses-raw-mail-role.ts); the action names it as `IamRoleArn`. */
  readonly role: iam.IRole;
}

/**
 * The SES "deliver to S3" receipt action, writing with its own role rather than through bucket
 * and key policies for the SES service (the stock `aws_ses_actions.S3` adds such a bucket
 * policy statement and has no role option). The rule is made to depend on the role and its
 * policy, because SES checks that it can write to the bucket when the rule is created.
 */
export class SesS3Delivery implements ses.IReceiptRuleAction {
  constructor(private readonly props: SesS3DeliveryProps) {}

  bind(rule: ses.IReceiptRuleRef): ses.ReceiptRuleActionConfig {
    rule.node.addDependency(this.props.role);
    // The L2 config type predates IamRoleArn; the rule hands the object to the L1 rule
    // (CfnReceiptRule.S3ActionProperty), which renders it.
    const s3Action: ses.CfnReceiptRule.S3ActionProperty = {
      bucketName: this.props.bucket.bucketName,
      objectKeyPrefix: this.props.objectKeyPrefix,
      iamRoleArn: this.props.role.roleArn,
    };
    return { s3Action: s3Action as ses.ReceiptRuleActionConfig['s3Action'] };
  }
}
