import {
  Duration,
  RemovalPolicy,
  type Stack,
  aws_dynamodb as dynamodb,
  aws_kms as kms,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import { KEPT_ATTACHMENTS_PREFIX } from '../../../shared/outbound/oversized-attachments';
import { tableLayout } from '../../../shared/adapters/dynamodb/table-layout';
import { rawMailRetentionRules } from './raw-mail-retention';

/** Where SES stores raw messages; the intake Lambda may read only below it. */
export const RAW_MAIL_PREFIX = 'inbound/';
/** Case files (patches) live beside the raw mail, under the same key and retention. */
export const CASE_FILES_PREFIX = 'case-files/';

/** The case table's one global secondary index (see shared/adapters/dynamodb/table-layout.ts). */
export const LIST_INDEX_NAME = 'gsi1';

export interface DataStoresProps {
  /** The resolved project configuration (see `loadConfigFile`). */
  readonly config: EmbargoConfig;
}

/**
 * Everything the stack keeps when it is deleted. All but the table use RetainExceptOnCreate
 * (RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE): when the stack's creation fails and rolls back,
 * CloudFormation deletes them rather than leaving a new set behind at each attempt; the table
 * keeps Retain, since its deletion protection would make the rollback fail. See
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
 */
export interface DataStores {
  /** Encrypts the raw-mail bucket, the case table, the dead-letter queues and the secret. */
  readonly key: kms.Key;
  readonly accessLogBucket: s3.Bucket;
  readonly rawMailBucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly projectKeySecret: secretsmanager.Secret;
}

/**
 * The stack's data: its key, the raw-mail bucket (with its access-log bucket), the case table and
 * the project key secret. Created directly in `stack`, not in a construct of their own, so their
 * logical ids stay those of the resources the stack had before this was factored out.
 */
export function createDataStores(stack: Stack, props: DataStoresProps): DataStores {
  const { config } = props;

  // --- Encryption key for the bucket, the table, the queues and the secret ----------------------
  const key = new kms.Key(stack, 'DataKey', {
    description: `Embargo (${config.project}): raw mail, cases, failed events and the project key`,
    enableKeyRotation: true,
    // Deleting the key would make the retained table, bucket and secret unreadable; after a
    // failed first deploy it protects nothing yet, and is scheduled for deletion.
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  // --- Raw mail ---------------------------------------------------------------------------------
  const accessLogBucket = new s3.Bucket(stack, 'AccessLogBucket', {
    // S3 server access logging cannot deliver to a bucket whose default encryption is SSE-KMS.
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });

  const rawMailBucket = new s3.Bucket(stack, 'RawMailBucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    serverAccessLogsBucket: accessLogBucket,
    serverAccessLogsPrefix: 'raw-mail/',
    lifecycleRules: rawMailRetentionRules(stack, {
      rawMailPrefix: RAW_MAIL_PREFIX,
      keptAttachmentsPrefix: `${CASE_FILES_PREFIX}${KEPT_ATTACHMENTS_PREFIX}`,
    }),
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });
  // SES writes below RAW_MAIL_PREFIX through its own role (infra/aws/ses/ses-raw-mail-role.ts).

  // --- Cases ------------------------------------------------------------------------------------
  const table = new dynamodb.Table(stack, 'CaseTable', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    // Items that stop meaning anything (the flood counters, digest marks, sending days) say
    // when in this attribute; DynamoDB deletes them after it, at no cost.
    timeToLiveAttribute: tableLayout.timeToLiveAttribute,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  table.addGlobalSecondaryIndex({
    indexName: LIST_INDEX_NAME,
    partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.ALL,
  });

  // --- Project key ------------------------------------------------------------------------------
  // The OpenPGP private key of the security address: intake decrypts reports and signs mail
  // with it. The operator puts the real key after the first deploy (docs/deploy.md); until
  // then the secret holds a generated random string, which the Lambda refuses with an error
  // that says how to import the key. CloudFormation generates that value on creation and
  // again only if GenerateSecretString changes, so later deploys leave the imported key
  // alone: do not set generateSecretString (or a secretStringValue) here.
  const projectKeySecret = new secretsmanager.Secret(stack, 'ProjectKeySecret', {
    description:
      `Embargo (${config.project}): armored OpenPGP private key of ${config.securityAddress}, ` +
      'without a passphrase. Set it with `aws secretsmanager put-secret-value` (see ' +
      'docs/deploy.md); the initial value is a random placeholder.',
    encryptionKey: key,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });

  return { key, accessLogBucket, rawMailBucket, table, projectKeySecret };
}
