/**
 * CDK feature flags the Embargo stack relies on. The stack sets them as context on its own node,
 * so it synthesizes the same template in any App (cdk synth, tests) and an aws-cdk-lib upgrade
 * cannot silently change it; being the closest context, they win over cdk.json and `-c`.
 */
export const featureFlags: Record<string, unknown> = {
  // S3 server access logs are delivered by a bucket policy for logging.s3.amazonaws.com, not
  // by the legacy LogDeliveryWrite ACL (ACLs stay disabled: BucketOwnerEnforced).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Merge and de-duplicate generated IAM statements.
  '@aws-cdk/aws-iam:minimizePolicies': true,
  // Buckets block public access even where a construct does not say so.
  '@aws-cdk/aws-s3:publicAccessBlockedByDefault': true,
  // Fail synth if a snapshot removal policy is set on a resource that cannot honour it.
  '@aws-cdk/core:validateSnapshotRemovalPolicy': true,
};
