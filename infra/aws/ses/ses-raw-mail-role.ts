import {
  Aws,
  type Stack,
  Validations,
  aws_iam as iam,
  type aws_kms as kms,
  type aws_s3 as s3,
} from 'aws-cdk-lib';

export interface SesRawMailRoleProps {
  readonly key: kms.IKey;
  readonly bucket: s3.IBucket;
  /** SES writes only below this prefix. */
  readonly objectKeyPrefix: string;
  /** The intake rule: the only SES source that may take the role. */
  readonly intakeRuleArn: string;
}

/**
 * The role SES's "deliver to S3" action writes raw mail with, into the bucket encrypted with the
 * stack's customer managed key. This is the path AWS documents for such a bucket: the action's
 * `IamRoleArn`, a role that may `s3:PutObject`, `kms:Encrypt` and `kms:GenerateDataKey`; "if an
 * IAM role ARN is provided, the role (and only the role) is used to access all the given
 * resources" (https://docs.aws.amazon.com/ses/latest/APIReference/API_S3Action.html), with the
 * trust policy of https://docs.aws.amazon.com/ses/latest/dg/receiving-email-permissions.html
 * ("Setting up IAM role permissions for Deliver to S3 bucket action"): ses.amazonaws.com, for
 * this account and this receipt rule only. Objects stay server-side encrypted by the bucket's
 * default SSE-KMS (the action's own `KmsKeyArn` would encrypt client-side, which a plain
 * GetObject cannot read).
 *
 * kms:Decrypt is added for S3 only, for this bucket: a multipart upload into an SSE-KMS bucket
 * needs it (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html, "Multipart
 * upload and permissions"); AWS does not say whether SES uploads large messages in parts.
 */
export function createSesRawMailRole(stack: Stack, props: SesRawMailRoleProps): iam.Role {
  const role = new iam.Role(stack, 'SesRawMailRole', {
    description: 'SES receipt rule: writes raw mail to the raw-mail bucket (S3 action IamRoleArn)',
    assumedBy: new iam.ServicePrincipal('ses.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': props.intakeRuleArn },
      },
    }),
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [props.bucket.arnForObjects(`${props.objectKeyPrefix}*`)],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [props.key.keyArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [props.key.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com`,
          // With S3 Bucket Keys the encryption context is the bucket's ARN
          // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
          'kms:EncryptionContext:aws:s3:arn': props.bucket.bucketArn,
        },
      },
    }),
  );
  const bucketId = stack.getLogicalId(props.bucket.node.defaultChild as s3.CfnBucket);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${props.objectKeyPrefix}*]`,
    reason:
      'SES names each object <prefix><message id>, known only per message; the role may write only below that prefix of the one bucket.',
  });
  return role;
}
