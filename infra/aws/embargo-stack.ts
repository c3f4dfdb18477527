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
  aws_s3 as s3,
  aws_scheduler as scheduler,
  aws_secretsmanager as secretsmanager,
  aws_ses as ses,
  aws_ses_actions as sesActions,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { type CaseData, grantCaseDataAccess } from './case-data-access';
import { EmbargoAlarms } from './embargo-alarms';
import { type EmbargoFunction, createEmbargoFunction } from './embargo-function';
import { featureFlags } from './feature-flags';
import {
  ACK_WATCH_SCHEDULE_NAME,
  INTAKE_RULE_NAME,
  configurationSetNameFor,
  domainOf,
  functionNameFor,
  ruleSetNameFor,
  scheduleGroupNameFor,
} from './names';
import { NoticeScheduling } from './notice-scheduling';
import { SendingEvents } from './sending-events';
import { SesS3Delivery } from './ses-s3-delivery';
import { KEPT_ATTACHMENTS_PREFIX } from '../../shared/reports/oversized-attachments';

/** Where SES stores raw messages; the intake Lambda may read only below it. */
export const RAW_MAIL_PREFIX = 'inbound/';
/** Case files (patches) live beside the raw mail, under the same key and retention. */
export const CASE_FILES_PREFIX = 'case-files/';

/** The case table's one global secondary index (see shared/adapters/dynamodb/table-layout.ts). */
export const LIST_INDEX_NAME = 'gsi1';

/** How often the acknowledgment watch runs (`rate(15 minutes)`). */
export const WATCH_INTERVAL = Duration.minutes(15);

/** SES reviews an account whose bounce rate reaches 5 %; the alarm goes off above that. */
export const BOUNCE_RATE_ALARM_THRESHOLD = 0.05;

export interface EmbargoStackProps extends StackProps {
  /** The resolved project configuration (see `loadConfigFile`). */
  readonly config: EmbargoConfig;
  /**
   * Where alarm notifications go, besides the topic. Defaults to the `alarmEmail` context value
   * (`cdk deploy -c alarmEmail=ops@example.org`); without either, the topic has no subscriber.
   */
  readonly alarmEmail?: string;
}

/**
 * Embargo on AWS: SES receives mail for the security address, stores the raw message in S3 and
 * invokes the intake Lambda, which records the case in DynamoDB and sends the acknowledgment
 * through SES, decrypting and signing with the project key kept in Secrets Manager. Maintainers'
 * replies arrive the same way and may set a disclosure date, for which intake schedules notices
 * with EventBridge Scheduler; the notices Lambda sends them when they are due. A recurring
 * schedule runs the acknowledgment watch. All mail goes out with an SES configuration set whose
 * bounces and complaints reach the sending-events Lambda, which records them on the case and tells
 * the maintainers. Alarms go to an SNS topic. See docs/architecture.md.
 */
export class EmbargoStack extends Stack {
  readonly key: kms.Key;
  readonly rawMailBucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly projectKeySecret: secretsmanager.Secret;
  readonly intake: EmbargoFunction;
  readonly notices: EmbargoFunction;
  readonly watch: EmbargoFunction;
  readonly sendingEvents: EmbargoFunction;
  readonly sending: SendingEvents;
  readonly scheduling: NoticeScheduling;
  readonly watchSchedule: scheduler.Schedule;
  readonly alarms: EmbargoAlarms;
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

    // --- Encryption key for the bucket, the table, the queues and the secret --------------------
    this.key = new kms.Key(this, 'DataKey', {
      description: `Embargo (${config.project}): raw mail, cases, failed events and the project key`,
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
      lifecycleRules: this.rawMailLifecycle(),
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

    // --- SES sending: configuration set, its events topic, domain identity (DKIM) --------------
    this.sending = new SendingEvents(this, 'Sending', {
      configurationSetName: configurationSetNameFor(config.project),
    });
    this.domainIdentity = new ses.EmailIdentity(this, 'DomainIdentity', {
      identity: ses.Identity.domain(domain),
      // The code names the set on every send; as the identity's default it also covers any mail
      // sent as the domain without it.
      configurationSet: this.sending.configurationSet,
    });
    const domainIdentityArn = this.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: domain,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });

    const caseData: CaseData = {
      table: this.table,
      listIndexName: LIST_INDEX_NAME,
      bucket: this.rawMailBucket,
      caseFilesPrefix: CASE_FILES_PREFIX,
      key: this.key,
      projectKeySecret: this.projectKeySecret,
      sendingIdentityArn: domainIdentityArn,
      configurationSetArn: this.sending.configurationSetArn,
    };

    // --- Scheduling ----------------------------------------------------------------------------
    // The notices function's ARN is in every function's environment, its own included, so it
    // cannot be a reference to the function (a circular dependency): the function gets a fixed
    // name and the ARN is built from it.
    const noticesFunctionName = functionNameFor(config.project, 'notices');
    const noticesFunctionArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: noticesFunctionName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.scheduling = new NoticeScheduling(this, 'Scheduling', {
      groupName: scheduleGroupNameFor(config.project),
      key: this.key,
      noticesFunctionArn,
    });

    // The contract of functions/aws-runtime.ts, the same for every function.
    const environment: Record<string, string> = {
      EMBARGO_TABLE_NAME: this.table.tableName,
      EMBARGO_RAW_MAIL_BUCKET: this.rawMailBucket.bucketName,
      EMBARGO_RAW_MAIL_PREFIX: RAW_MAIL_PREFIX,
      EMBARGO_CASE_FILES_PREFIX: CASE_FILES_PREFIX,
      EMBARGO_PROJECT_KEY_SECRET_ARN: this.projectKeySecret.secretArn,
      EMBARGO_SCHEDULE_GROUP: this.scheduling.group.scheduleGroupName,
      EMBARGO_NOTICES_FUNCTION_ARN: noticesFunctionArn,
      EMBARGO_SCHEDULER_ROLE_ARN: this.scheduling.noticeRole.roleArn,
      EMBARGO_SCHEDULER_DLQ_ARN: this.scheduling.deadLetterQueue.queueArn,
      EMBARGO_SES_CONFIGURATION_SET: this.sending.configurationSet.configurationSetName,
      NODE_OPTIONS: '--enable-source-maps',
    };

    // --- Intake Lambda --------------------------------------------------------------------------
    this.intake = createEmbargoFunction(this, 'Intake', {
      config,
      entry: 'intake',
      description: `Embargo (${config.project}): intake of mail to ${config.securityAddress}`,
      // The largest encrypted report SES delivers (about 40 MB) peaks at 420-450 MiB while it is
      // decrypted and parsed (docs/benchmarks.md, section 4); 1024 MB leaves room for more
      // attachments and for the garbage collector.
      memorySize: 1024,
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: 10,
      environment,
      retryAttempts: 2,
      deadLetterKey: this.key,
    });
    this.intake.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadRawMail',
        actions: ['s3:GetObject'],
        resources: [this.rawMailBucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
      }),
    );
    grantCaseDataAccess(this.intake.role, caseData);
    // Maintainers' commands set and move disclosure dates, which (re)plans the notices.
    this.scheduling.grantManageSchedules(this.intake.role);

    // --- Notices Lambda -------------------------------------------------------------------------
    // Invoked by the one-time notice schedules, with the trigger as the event.
    this.notices = createEmbargoFunction(this, 'Notices', {
      config,
      entry: 'notices',
      functionName: noticesFunctionName,
      description: `Embargo (${config.project}): scheduled notices to distributors, the reporter and the announce list`,
      memorySize: 512,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 5,
      environment,
      retryAttempts: 2,
      deadLetterKey: this.key,
    });
    // No schedule rights: a one-time schedule deletes itself after it fires, and only intake
    // (maintainers' commands) plans, moves or cancels them.
    grantCaseDataAccess(this.notices.role, caseData);

    // --- Acknowledgment watch -------------------------------------------------------------------
    // Every 15 minutes: retries acknowledgments that did not go out and warns maintainers before
    // the answer deadline. A failed run is not retried (the next one comes soon) and, with one
    // run at a time, a run that is due while another is still going waits at most 15 minutes.
    this.watch = createEmbargoFunction(this, 'AckWatch', {
      config,
      entry: 'ack-watch',
      description: `Embargo (${config.project}): acknowledgment and answer-deadline watch`,
      memorySize: 512,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 1,
      environment,
      retryAttempts: 0,
      maxEventAge: WATCH_INTERVAL,
    });
    grantCaseDataAccess(this.watch.role, caseData);
    this.watchSchedule = this.scheduling.addRecurringInvocation('AckWatchSchedule', {
      function: this.watch.function,
      schedule: scheduler.ScheduleExpression.rate(WATCH_INTERVAL),
      scheduleName: ACK_WATCH_SCHEDULE_NAME,
      description: `Embargo (${config.project}): run the acknowledgment watch`,
      maxEventAge: WATCH_INTERVAL,
    });

    // --- Sending events -------------------------------------------------------------------------
    // Bounces, complaints, rejections and delays of mail sent with the configuration set, from
    // its SNS topic: recorded on the case, told to the maintainers. SNS invokes the function
    // asynchronously; a failed event is retried twice, then kept in the dead-letter queue.
    this.sendingEvents = createEmbargoFunction(this, 'SendingEvents', {
      config,
      entry: 'sending-events',
      description: `Embargo (${config.project}): SES bounces and complaints, recorded on the case`,
      memorySize: 512,
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: 2,
      environment,
      retryAttempts: 2,
      deadLetterKey: this.key,
    });
    grantCaseDataAccess(this.sendingEvents.role, caseData);
    this.sending.subscribe(this.sendingEvents.function);

    // --- SES receiving --------------------------------------------------------------------------
    // Granted here (rather than by the Lambda action) so the permission can name the rule.
    this.intake.function.addPermission('AllowSes', {
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
          function: this.intake.function,
          invocationType: sesActions.LambdaInvocationType.EVENT,
        }),
      ],
    });

    // --- Alarms ---------------------------------------------------------------------------------
    this.alarms = this.createAlarms(
      config.project,
      props.alarmEmail ?? this.alarmEmailFromContext(),
    );

    // --- Outputs --------------------------------------------------------------------------------
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'RawMailBucketName', { value: this.rawMailBucket.bucketName });
    new CfnOutput(this, 'ReceiptRuleSetName', { value: this.ruleSet.receiptRuleSetName });
    new CfnOutput(this, 'ProjectKeySecretArn', {
      description:
        'Put the armored OpenPGP private key of the security address here (docs/deploy.md).',
      value: this.projectKeySecret.secretArn,
    });
    new CfnOutput(this, 'IntakeFunctionName', { value: this.intake.function.functionName });
    new CfnOutput(this, 'IntakeLogGroupName', { value: this.intake.logGroup.logGroupName });
    new CfnOutput(this, 'IntakeDeadLetterQueueUrl', {
      value: this.intake.deadLetterQueue!.queueUrl,
    });
    new CfnOutput(this, 'NoticesFunctionName', { value: this.notices.function.functionName });
    new CfnOutput(this, 'NoticesLogGroupName', { value: this.notices.logGroup.logGroupName });
    new CfnOutput(this, 'NoticesDeadLetterQueueUrl', {
      value: this.notices.deadLetterQueue!.queueUrl,
    });
    new CfnOutput(this, 'AckWatchFunctionName', { value: this.watch.function.functionName });
    new CfnOutput(this, 'AckWatchLogGroupName', { value: this.watch.logGroup.logGroupName });
    new CfnOutput(this, 'SendingEventsFunctionName', {
      value: this.sendingEvents.function.functionName,
    });
    new CfnOutput(this, 'SendingEventsLogGroupName', {
      value: this.sendingEvents.logGroup.logGroupName,
    });
    new CfnOutput(this, 'SendingEventsDeadLetterQueueUrl', {
      value: this.sendingEvents.deadLetterQueue!.queueUrl,
    });
    new CfnOutput(this, 'ConfigurationSetName', {
      description: 'The SES configuration set all mail is sent with',
      value: this.sending.configurationSet.configurationSetName,
    });
    new CfnOutput(this, 'SendingEventsTopicArn', {
      description: 'SES bounces, complaints, rejections and delays of sent mail',
      value: this.sending.topic.topicArn,
    });
    new CfnOutput(this, 'ScheduleGroupName', {
      value: this.scheduling.group.scheduleGroupName,
    });
    new CfnOutput(this, 'SchedulerDeadLetterQueueUrl', {
      description: 'Scheduled invocations that EventBridge Scheduler could not deliver',
      value: this.scheduling.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'Alarm notifications; subscribe with -c alarmEmail=… or in the SNS console',
      value: this.alarms.topic.topicArn,
    });
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

    this.acknowledgeNagFindings();
  }

  /**
   * `-c rawMailRetentionDays=N` expires raw mail (and its old versions) N days after it arrived;
   * without it, raw mail is kept, since it is the evidence behind every case.
   */
  private rawMailLifecycle(): s3.LifecycleRule[] | undefined {
    const value: unknown = this.node.tryGetContext('rawMailRetentionDays');
    if (value === undefined || value === '') return undefined;
    const days = Number(value);
    if (!Number.isInteger(days) || days < 30) {
      throw new Error(
        `The rawMailRetentionDays context value must be a whole number of days, at least 30 (-c rawMailRetentionDays=730), got ${JSON.stringify(value)}`,
      );
    }
    return [
      {
        id: 'expire-raw-mail',
        prefix: RAW_MAIL_PREFIX,
        expiration: Duration.days(days),
        noncurrentVersionExpiration: Duration.days(days),
      },
      // Attachments too large to mail, kept decrypted: copies of what the raw mail holds.
      {
        id: 'expire-kept-attachments',
        prefix: `${CASE_FILES_PREFIX}${KEPT_ATTACHMENTS_PREFIX}`,
        expiration: Duration.days(days),
        noncurrentVersionExpiration: Duration.days(days),
      },
    ];
  }

  /** The `alarmEmail` context value (`-c alarmEmail=…`), if any; refused unless an address. */
  private alarmEmailFromContext(): string | undefined {
    const value: unknown = this.node.tryGetContext('alarmEmail');
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(value)) {
      throw new Error(
        `The alarmEmail context value must be one email address (-c alarmEmail=ops@example.org), got ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  /** The alarms: see EmbargoAlarms, and docs/deploy.md for what to do when one goes off. */
  private createAlarms(project: string, email: string | undefined): EmbargoAlarms {
    const alarms = new EmbargoAlarms(this, 'Alarms', {
      metricNamespace: `Embargo/${project}`,
      email,
    });
    const functions = [
      ['Intake', this.intake, 'intake of mail to the security address'],
      ['Notices', this.notices, 'a scheduled notice'],
      ['AckWatch', this.watch, 'the acknowledgment watch'],
      ['SendingEvents', this.sendingEvents, 'an SES bounce or complaint notification'],
    ] as const;
    for (const [name, fn, what] of functions) {
      alarms.whenFunctionFails(
        `${name}Errors`,
        fn.function,
        `An invocation for ${what} failed. See the log group ${fn.logGroup.logGroupName}.`,
      );
      if (fn.deadLetterQueue) {
        alarms.whenQueueNotEmpty(
          `${name}DeadLetters`,
          fn.deadLetterQueue,
          `An event for ${what} failed every retry and waits in the dead-letter queue.`,
        );
      }
    }
    alarms.whenQueueNotEmpty(
      'SchedulerDeadLetters',
      this.scheduling.deadLetterQueue,
      'EventBridge Scheduler could not invoke a function for a schedule (a notice or the watch).',
    );
    alarms.whenLogged(
      'AckFailed',
      this.watch.logGroup,
      'watch.ack-failed',
      "The watch could not send a report's acknowledgment; the answer deadline is at risk.",
    );
    alarms.whenLogged(
      'Escalated',
      this.watch.logGroup,
      'watch.escalated',
      'The watch warned the maintainers: a report has no answer and its deadline is near or past.',
    );
    alarms.whenLogged(
      'WatchCaseFailed',
      this.watch.logGroup,
      'watch.case-failed',
      'The watch failed on a case (and went on with the others).',
    );
    alarms.whenBounceRateAbove(
      'SesBounceRate',
      BOUNCE_RATE_ALARM_THRESHOLD,
      'The SES bounce rate is above 5 %; SES may review or pause sending for the account.',
    );
    return alarms;
  }

  /**
   * cdk-nag (v3) findings acknowledged on purpose, each with its reason. Acknowledgments apply to
   * the construct and everything below it, so they are placed as low in the tree as possible.
   * (Those of the functions, their data access and the schedule grants are made where those are
   * created.)
   */
  private acknowledgeNagFindings(): void {
    Validations.of(this.projectKeySecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret is the OpenPGP identity key of the security address, which cannot be rotated automatically: reporters encrypt to its published fingerprint, so a new key is a manual, announced change.',
    });
    const bucketLogicalId = this.getLogicalId(this.rawMailBucket.node.defaultChild as s3.CfnBucket);
    Validations.of(this.intake.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/${RAW_MAIL_PREFIX}*]`,
      reason:
        'SES stores each message as inbound/<message id>, known only per message; read access is limited to that prefix of the one bucket.',
    });
  }
}
