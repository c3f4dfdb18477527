import * as path from 'node:path';
import {
  ArnFormat,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
  aws_ses as ses,
  aws_ses_actions as sesActions,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { INTAKE_RULE_NAME, domainOf, ruleSetNameFor } from './names';
import { featureFlags } from './feature-flags';
import { SesS3Delivery } from './ses-s3-delivery';

/** Where SES stores raw messages; the intake Lambda may read only below it. */
export const RAW_MAIL_PREFIX = 'inbound/';
/** Case files (patches) live beside the raw mail, under the same key and retention. */
export const CASE_FILES_PREFIX = 'case-files/';

/** The case table's one global secondary index (see shared/adapters/dynamodb/table-layout.ts). */
export const LIST_INDEX_NAME = 'gsi1';

/**
 * The expression in functions/aws-runtime.ts that esbuild replaces with the configuration. It is
 * bundled into the code rather than set in the environment: with maintainers' public keys it
 * outgrows the 4 KB that Lambda allows for environment variables.
 */
export const CONFIG_DEFINE = 'process.env.EMBARGO_CONFIG_JSON';

/** What `import.meta.url` becomes in the CommonJS bundle (declared by the bundle's banner). */
const IMPORT_META_URL = '__embargoImportMetaUrl';

/**
 * esbuild gets the configuration as one command-line argument, and runs through npx, which hands
 * the whole command line to a shell as a single argument. Linux refuses an argument of 128 KiB
 * or more (MAX_ARG_STRLEN) with a bare E2BIG or exit status; 8 KiB is left for the rest of the
 * command (paths, other options, quoting).
 */
const MAX_DEFINE_ARGUMENT_BYTES = 120 * 1024;

export interface EmbargoStackProps extends StackProps {
  /** The resolved project configuration (see `loadConfigFile`). */
  readonly config: EmbargoConfig;
}

/**
 * The walking skeleton on AWS: SES receives mail for the security address, stores the raw
 * message in S3 and invokes the intake Lambda, which records the case in DynamoDB and sends
 * the acknowledgment through SES, decrypting and signing with the project key kept in Secrets
 * Manager.
 */
export class EmbargoStack extends Stack {
  readonly key: kms.Key;
  readonly rawMailBucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly projectKeySecret: secretsmanager.Secret;
  readonly intakeFunction: nodejs.NodejsFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly ruleSet: ses.ReceiptRuleSet;
  readonly domainIdentity: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: EmbargoStackProps) {
    super(scope, id, props);
    // Set before any child construct exists, so the stack synthesizes the same in any App.
    for (const [flag, value] of Object.entries(featureFlags)) this.node.setContext(flag, value);
    const { config } = props;
    const domain = domainOf(config.securityAddress);
    const ruleSetName = ruleSetNameFor(config.project);
    const intakeRuleArn = this.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${ruleSetName}:receipt-rule/${INTAKE_RULE_NAME}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const sesPrincipal = new iam.ServicePrincipal('ses.amazonaws.com');

    // --- Encryption key for the bucket, the table, the queue and the secret ---------------------
    this.key = new kms.Key(this, 'DataKey', {
      description: `Embargo (${config.project}): raw mail, cases, failed intake events and the project key`,
      enableKeyRotation: true,
      // Deleting the key would make the retained table, bucket and secret unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SES writes with PutObject; the bucket's default SSE-KMS encryption makes S3 ask KMS for a
    // data key on SES's behalf, so SES needs these on the key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToEncryptRawMailWrites',
        principals: [sesPrincipal],
        actions: ['kms:GenerateDataKey*', 'kms:Encrypt'],
        resources: ['*'], // in a key policy, "*" means this key
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );

    // --- Raw mail -------------------------------------------------------------------------------
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      // S3 server access logging cannot deliver to a bucket whose default encryption is SSE-KMS.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.rawMailBucket = new s3.Bucket(this, 'RawMailBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'raw-mail/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Only SES of this account, and only through the intake rule, may write, and only below
    // the prefix. Documented form: docs.aws.amazon.com/ses/latest/dg/receiving-email-permissions.html
    this.rawMailBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesPutsFromIntakeRule',
        principals: [sesPrincipal],
        actions: ['s3:PutObject'],
        resources: [this.rawMailBucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': intakeRuleArn },
        },
      }),
    );

    // --- Cases ----------------------------------------------------------------------------------
    this.table = new dynamodb.Table(this, 'CaseTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: LIST_INDEX_NAME,
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    // --- Project key ----------------------------------------------------------------------------
    // The OpenPGP private key of the security address: intake decrypts reports and signs mail
    // with it. The operator puts the real key after the first deploy (docs/deploy.md); until
    // then the secret holds a generated random string, which the Lambda refuses with an error
    // that says how to import the key. CloudFormation generates that value on creation and
    // again only if GenerateSecretString changes, so later deploys leave the imported key
    // alone: do not set generateSecretString (or a secretStringValue) here.
    this.projectKeySecret = new secretsmanager.Secret(this, 'ProjectKeySecret', {
      description:
        `Embargo (${config.project}): armored OpenPGP private key of ${config.securityAddress}, ` +
        'without a passphrase. Set it with `aws secretsmanager put-secret-value` (see ' +
        'docs/deploy.md); the initial value is a random placeholder.',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // --- SES domain identity (DKIM) -------------------------------------------------------------
    this.domainIdentity = new ses.EmailIdentity(this, 'DomainIdentity', {
      identity: ses.Identity.domain(domain),
    });
    const domainIdentityArn = this.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: domain,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    // --- Intake Lambda --------------------------------------------------------------------------
    this.deadLetterQueue = new sqs.Queue(this, 'IntakeDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    const logGroup = new logs.LogGroup(this, 'IntakeLogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An explicit role instead of the default one, which would carry the managed
    // AWSLambdaBasicExecutionRole policy (logs:* on every log group in the account).
    const role = new iam.Role(this, 'IntakeRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Embargo intake Lambda',
    });
    logGroup.grantWrite(role);

    const environment: Record<string, string> = {
      EMBARGO_TABLE_NAME: this.table.tableName,
      EMBARGO_RAW_MAIL_BUCKET: this.rawMailBucket.bucketName,
      EMBARGO_RAW_MAIL_PREFIX: RAW_MAIL_PREFIX,
      EMBARGO_CASE_FILES_PREFIX: CASE_FILES_PREFIX,
      EMBARGO_PROJECT_KEY_SECRET_ARN: this.projectKeySecret.secretArn,
      NODE_OPTIONS: '--enable-source-maps',
    };

    this.intakeFunction = new nodejs.NodejsFunction(this, 'IntakeFunction', {
      description: `Embargo (${config.project}): intake of mail to ${config.securityAddress}`,
      entry: path.join(__dirname, '..', '..', 'functions', 'intake.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: 10,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        forceDockerBundling: false,
        logLevel: nodejs.LogLevel.WARNING,
        // Bundle the AWS SDK too, so the deployed code runs the versions in package-lock.json
        // rather than whatever the managed runtime ships.
        externalModules: [],
        // esbuild resolves `import 'openpgp'` to its ES module build, which calls
        // createRequire(import.meta.url) as it loads. A CommonJS bundle has no import.meta, so
        // the function would fail on every cold start: give it the bundle file's own URL. (The
        // banner goes before esbuild's "use strict", so it repeats it to keep strict mode.)
        banner: `'use strict'; const ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;`,
        define: { 'import.meta.url': IMPORT_META_URL, ...configDefine(config) },
      },
    });

    // Least privilege for the intake code.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadRawMail',
        actions: ['s3:GetObject'],
        resources: [this.rawMailBucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CaseFiles',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.rawMailBucket.arnForObjects(`${CASE_FILES_PREFIX}*`)],
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
        resources: [this.table.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CaseTableListIndex',
        actions: ['dynamodb:Query'],
        resources: [`${this.table.tableArn}/index/${LIST_INDEX_NAME}`],
      }),
    );
    // kms:Decrypt reads SSE-KMS objects and items of a table under a customer managed key.
    // Lambda sends failed events to the KMS-encrypted queue with this role, which SQS allows
    // only with kms:GenerateDataKey and kms:Decrypt (the Function construct grants just
    // sqs:SendMessage).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseDataKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
      }),
    );
    // Secrets Manager decrypts the value with the caller's kms:Decrypt on the stack key (above).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadProjectKey',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.projectKeySecret.secretArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendFromProjectDomain',
        actions: ['ses:SendRawEmail', 'ses:SendEmail'],
        resources: [domainIdentityArn],
      }),
    );

    // --- SES receiving --------------------------------------------------------------------------
    // Granted here (rather than by the Lambda action) so the permission can name the rule.
    this.intakeFunction.addPermission('AllowSes', {
      action: 'lambda:InvokeFunction',
      principal: sesPrincipal,
      sourceAccount: Aws.ACCOUNT_ID,
      sourceArn: intakeRuleArn,
    });

    this.ruleSet = new ses.ReceiptRuleSet(this, 'ReceiptRuleSet', {
      receiptRuleSetName: ruleSetName,
    });
    this.ruleSet.addRule('IntakeRule', {
      receiptRuleName: INTAKE_RULE_NAME,
      // Listing the address also matches its `local+label@domain` forms (the reply addresses).
      recipients: [config.securityAddress],
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      enabled: true,
      actions: [
        new SesS3Delivery({ bucket: this.rawMailBucket, objectKeyPrefix: RAW_MAIL_PREFIX }),
        new sesActions.Lambda({
          function: this.intakeFunction,
          invocationType: sesActions.LambdaInvocationType.EVENT,
        }),
      ],
    });

    // --- Outputs --------------------------------------------------------------------------------
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'RawMailBucketName', { value: this.rawMailBucket.bucketName });
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.ruleSet.receiptRuleSetName });
    new CfnOutput(this, 'ProjectKeySecretArn', {
      description:
        'Put the armored OpenPGP private key of the security address here (docs/deploy.md).',
      value: this.projectKeySecret.secretArn,
    });
    new CfnOutput(this, 'IntakeFunctionName', { value: this.intakeFunction.functionName });
    new CfnOutput(this, 'IntakeLogGroupName', { value: logGroup.logGroupName });
    new CfnOutput(this, 'IntakeDeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'ActivateReceiptRuleSet', {
      description:
        'SES applies only the active rule set (one per region). Run this once after the first deploy.',
      value: `aws ses set-active-receipt-rule-set --rule-set-name ${this.ruleSet.receiptRuleSetName} --region ${Aws.REGION}`,
    });
    new CfnOutput(this, 'MxRecord', {
      description: `MX record for ${domain}`,
      value: `${domain} MX 10 inbound-smtp.${Aws.REGION}.amazonaws.com`,
    });
    this.domainIdentity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        description: `DKIM CNAME ${i + 1} of 3 for ${domain}`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });

    this.acknowledgeNagFindings(role);
  }

  /**
   * cdk-nag (v3) findings acknowledged on purpose, each with its reason. Acknowledgments apply to
   * the construct and everything below it, so they are placed as low in the tree as possible.
   */
  private acknowledgeNagFindings(role: iam.Role): void {
    Validations.of(this.intakeFunction).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned to Node.js 22 on purpose: the code is bundled for node22 and tested on it, so a runtime upgrade is a deliberate change rather than a side effect of a CDK upgrade.',
    });
    Validations.of(this.projectKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret is the OpenPGP identity key of the security address, which cannot be rotated automatically: reporters encrypt to its published fingerprint, so a new key is a manual, announced change.',
    });
    const bucketLogicalId = this.getLogicalId(this.rawMailBucket.node.defaultChild as s3.CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${RAW_MAIL_PREFIX}*]`,
      reason:
        'SES stores each message as inbound/<message id>, known only per message; read access is limited to that prefix of the one bucket.',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${CASE_FILES_PREFIX}*]`,
      reason:
        'Case files are keyed by case id and content hash, known only at run time; access is limited to that prefix of the one bucket.',
    });
  }
}

/**
 * The esbuild `define` that bundles the configuration: its value is a JavaScript string literal
 * holding the JSON. Fails synth, with the reason, when the argument would be too long to pass.
 */
function configDefine(config: EmbargoConfig): Record<string, string> {
  const value = JSON.stringify(JSON.stringify(config));
  const bytes = Buffer.byteLength(`--define:${CONFIG_DEFINE}=${value}`);
  if (bytes > MAX_DEFINE_ARGUMENT_BYTES) {
    throw new Error(
      `The configuration is about ${bytes} bytes as an esbuild argument, more than the ` +
        `${MAX_DEFINE_ARGUMENT_BYTES} it may take (Linux limits one command-line argument to ` +
        "128 KiB). Maintainers' public keys make up most of it: export them without " +
        'third-party signatures (`gpg --armor --export --export-options export-minimal ' +
        '<fingerprint>`), or use Ed25519 keys, which are much smaller than RSA keys.',
    );
  }
  return { [CONFIG_DEFINE]: value };
}
