import {
  Stack,
  Validations,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_kms as kms,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';

/** What every Embargo function works with: cases, case files, the project key and SES. */
export interface CaseData {
  readonly table: dynamodb.Table;
  /** The only index the code queries (see shared/adapters/dynamodb/table-layout.ts). */
  readonly listIndexName: string;
  readonly bucket: s3.Bucket;
  /** Case files (patches) are objects below this prefix of the bucket. */
  readonly caseFilesPrefix: string;
  /** The key of the table, the bucket, the secret and the dead-letter queues. */
  readonly key: kms.IKey;
  readonly projectKeySecret: secretsmanager.ISecret;
  /** The SES identity the functions send as. */
  readonly sendingIdentityArn: string;
  /** The SES configuration set every mail is sent with (SES authorizes the send against it too). */
  readonly configurationSetArn: string;
  /**
   * While the account is in the SES sandbox, the verified identities (test senders) mail goes
   * to: SES then also authorizes a send against the recipient's identity.
   */
  readonly sandboxIdentityArns?: readonly string[];
}

/**
 * Least privilege for the code that handles cases (intake, notices, the watch, sending events):
 * items of the case table and queries of its list index, case files, the stack key, the project
 * key secret and sending mail as the project's domain, with its configuration set. Nothing that
 * deletes or scans.
 */
export function grantCaseDataAccess(role: iam.Role, data: CaseData): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'CaseFiles',
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [data.bucket.arnForObjects(`${data.caseFilesPrefix}*`)],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'CaseTableItems',
      actions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:Query',
      ],
      resources: [data.table.tableArn],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'CaseTableListIndex',
      actions: ['dynamodb:Query'],
      resources: [`${data.table.tableArn}/index/${data.listIndexName}`],
    }),
  );
  // kms:Decrypt reads SSE-KMS objects and items of a table under a customer managed key, and
  // with kms:GenerateDataKey writes them. Lambda sends failed events to a KMS-encrypted queue
  // with the function's role, which SQS allows only with both (the Function construct grants
  // just sqs:SendMessage).
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'UseDataKey',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [data.key.keyArn],
    }),
  );
  // Secrets Manager decrypts the value with the caller's kms:Decrypt on the stack key (above).
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadProjectKey',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [data.projectKeySecret.secretArn],
    }),
  );
  // A send names the identity and the configuration set, and SES checks the caller's permission
  // for both; neither allows sending as another identity.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'SendFromProjectDomain',
      actions: ['ses:SendRawEmail', 'ses:SendEmail'],
      resources: [data.sendingIdentityArn, data.configurationSetArn],
    }),
  );
  // The transport paces sends to the account's maximum send rate, which GetAccount reads (its
  // SendQuota). GetAccount names no resource, so it can only be allowed on "*" (Service
  // Authorization Reference, "Actions, resources, and condition keys for Amazon SES").
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadSendQuota',
      actions: ['ses:GetAccount'],
      resources: ['*'],
    }),
  );
  // In the sandbox SES also checks ses:SendEmail on the verified identity of each recipient
  // ("not authorized to perform ses:SendRawEmail on resource identity/<recipient>"); see
  // https://docs.aws.amazon.com/ses/latest/dg/sending-authorization-policy-examples.html and
  // https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html
  if (data.sandboxIdentityArns?.length) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendToSandboxIdentities',
        actions: ['ses:SendRawEmail', 'ses:SendEmail'],
        resources: [...data.sandboxIdentityArns],
      }),
    );
  }

  const bucketId = Stack.of(role).getLogicalId(data.bucket.node.defaultChild as s3.CfnBucket);
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ses:GetAccount (the send quota, read to pace sending) has no resource to name.',
  });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${data.caseFilesPrefix}*]`,
    reason:
      'Case files are keyed by case id and content hash, known only at run time; access is limited to that prefix of the one bucket.',
  });
}
