import {
  Annotations,
  Aws,
  type Stack,
  aws_iam as iam,
  type aws_kms as kms,
  type aws_s3 as s3,
} from 'aws-cdk-lib';

/** CloudFormation's generated bucket names end in a random suffix of up to 13 characters. */
const GENERATED_SUFFIX = 13;
const MAX_BUCKET_NAME = 63;

/**
 * Lets SES decrypt with the key, for S3 and this bucket only, in case it uploads large messages
 * in parts: a multipart upload into an SSE-KMS bucket needs kms:Decrypt as well as
 * kms:GenerateDataKey (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html,
 * "Multipart upload and permissions"). AWS does not say whether SES uploads in parts; granting
 * it costs nothing and keeps a 40 MB report from failing if it does.
 *
 * Scoped to SES of this account for the intake rule (aws:SourceAccount, aws:SourceArn), called
 * through S3 in the stack's region (kms:ViaService), with the encryption context S3 sets for this
 * bucket (kms:EncryptionContext:aws:s3:arn: the bucket's ARN with S3 Bucket Keys, the object's
 * without; https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
 * The key policy cannot refer to the bucket (the bucket refers to the key: a cycle), so the
 * context is matched on the name CloudFormation generates for it,
 * `<stack name>-<logical id>-<random>` in lower case. A stack name too long for that name to
 * be generated whole falls back to any bucket of the partition, with a synth warning.
 */
export function allowSesMultipartUploads(
  stack: Stack,
  key: kms.Key,
  bucket: s3.Bucket,
  props: { readonly sesPrincipal: iam.IPrincipal; readonly intakeRuleArn: string },
): void {
  const logicalId = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  const stem = `${stack.stackName}-${logicalId}-`.toLowerCase();
  const exact = stem.length + GENERATED_SUFFIX <= MAX_BUCKET_NAME;
  if (!exact) {
    Annotations.of(key).addWarningV2(
      'embargo:ses-decrypt-context',
      `The stack name ${stack.stackName} is too long to predict the raw-mail bucket's generated name, ` +
        "so SES's kms:Decrypt on the key is limited to S3 and the intake rule, not to the bucket.",
    );
  }
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowSesToDecryptForMultipartRawMailWrites',
      principals: [props.sesPrincipal],
      actions: ['kms:Decrypt'],
      resources: ['*'], // in a key policy, "*" means this key
      conditions: {
        StringEquals: {
          'aws:SourceAccount': Aws.ACCOUNT_ID,
          'aws:SourceArn': props.intakeRuleArn,
          'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com`,
        },
        StringLike: {
          'kms:EncryptionContext:aws:s3:arn': `arn:${Aws.PARTITION}:s3:::${exact ? stem : ''}*`,
        },
      },
    }),
  );
}
