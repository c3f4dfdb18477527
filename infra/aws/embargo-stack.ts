import {
  ArnFormat,
  Aws,
  Duration,
  Stack,
  type StackProps,
  Validations,
  type aws_dynamodb as dynamodb,
  aws_iam as iam,
  type aws_kms as kms,
  type aws_s3 as s3,
  aws_scheduler as scheduler,
  type aws_secretsmanager as secretsmanager,
  aws_ses as ses,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import {
  CASE_FILES_PREFIX,
  LIST_INDEX_NAME,
  RAW_MAIL_PREFIX,
  createDataStores,
} from './data/data-stores';
import { featureFlags } from './feature-flags';
import { type CaseData, grantCaseDataAccess } from './functions/case-data-access';
import { type EmbargoFunction, createEmbargoFunction } from './functions/embargo-function';
import type { EmbargoAlarms } from './monitoring/embargo-alarms';
import { createAlarms } from './monitoring/stack-alarms';
import {
  ACK_WATCH_SCHEDULE_NAME,
  configurationSetNameFor,
  domainOf,
  functionNameFor,
  scheduleGroupNameFor,
} from './names';
import { NoticeScheduling } from './scheduling/notice-scheduling';
import { SendingEvents } from './ses/sending-events';
import {
  type IntakeRulePlacement,
  createIntakeRule,
  intakeRulePlacement,
} from './ses/intake-receipt-rule';
import { createSesRawMailRole } from './ses/ses-raw-mail-role';
import {
  type DeploySettings,
  readDeploySettings,
  sendingContainers,
} from './preflight/deploy-settings';
import { refuseRegionWithoutReceiving } from './preflight/receiving-region-guard';
import { addStackOutputs } from './stack-outputs';
import {
  GITHUB_TOKEN_SECRET_VARIABLE,
  createGitHubTokenSecret,
  grantGitHubTokenRead,
} from './data/github-token-secret';

/** How often the acknowledgment watch runs (`rate(15 minutes)`). */
export const WATCH_INTERVAL = Duration.minutes(15);

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
  readonly ruleSet: ses.IReceiptRuleSet;
  /** Where the intake rule is: the stack's own rule set, or an existing active one. */
  readonly intakeRule: IntakeRulePlacement;
  /** The deploy-time context values (-c …): reservations, sandbox identities, rule set. */
  readonly settings: DeploySettings;
  readonly domainIdentity: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: EmbargoStackProps) {
    super(scope, id, props);
    // Set before any child construct exists, so the stack synthesizes the same in any App.
    for (const [flag, value] of Object.entries(featureFlags)) this.node.setContext(flag, value);
    const { config } = props;
    const domain = domainOf(config.securityAddress);
    // Context values (-c …), checked before anything is built; then the region.
    this.settings = readDeploySettings((name) => this.node.tryGetContext(name));
    refuseRegionWithoutReceiving(this);
    this.intakeRule = intakeRulePlacement(this, config.project, this.settings.existingRuleSet);
    const intakeRuleArn = this.intakeRule.ruleArn;
    const sesPrincipal = new iam.ServicePrincipal('ses.amazonaws.com');

    // The key, the raw-mail bucket and its access-log bucket, the case table, the project key.
    const stores = createDataStores(this, { config });
    this.key = stores.key;
    this.accessLogBucket = stores.accessLogBucket;
    this.rawMailBucket = stores.rawMailBucket;
    this.table = stores.table;
    this.projectKeySecret = stores.projectKeySecret;
    const githubTokenSecret = createGitHubTokenSecret(this, config, this.key);

    // --- SES sending: configuration set, its events topic, domain identity (DKIM) --------------
    this.sending = new SendingEvents(this, 'Sending', {
      configurationSetName: configurationSetNameFor(config.project),
    });
    this.domainIdentity = new ses.EmailIdentity(this, 'DomainIdentity', {
      identity: ses.Identity.domain(domain),
      // The code names the set on every send; as the identity's default it also covers any mail
      // sent as the domain without it.
      configurationSet: this.sending.configurationSet,
      // Off: the configuration set's event destination already brings every bounce and complaint
      // to the sending-events function, and forwarded feedback would arrive at the security
      // address (SES sends it to the Return-Path, our From) as mail. AWS allows turning it off
      // when another mechanism, "for example, by setting up an event destination", tracks them
      // (AWS::SES::EmailIdentity FeedbackAttributes, CloudFormation template reference).
      feedbackForwarding: false,
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
      sandboxIdentityArns: this.settings.sandboxIdentities.map((identity) =>
        this.formatArn({
          service: 'ses',
          resource: 'identity',
          resourceName: identity,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ),
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
    // With every function's concurrency reserved, each container sends at its share of the
    // account's rate, so that all of them together stay under it (docs/architecture.md).
    const containers = sendingContainers(this.settings);
    if (containers !== undefined) environment.EMBARGO_SENDING_CONTAINERS = String(containers);
    // Only the functions that call GitHub learn where its token is, and may read it.
    const callingGitHub: Record<string, string> = githubTokenSecret
      ? { ...environment, [GITHUB_TOKEN_SECRET_VARIABLE]: githubTokenSecret.secretArn }
      : environment;
    const mayCallGitHub = (role: iam.Role) => {
      if (githubTokenSecret) grantGitHubTokenRead(role, githubTokenSecret);
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
      reservedConcurrentExecutions: this.settings.reservedConcurrency.intake,
      environment: callingGitHub,
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
    // Without s3:ListBucket on the bucket, S3 answers a read of a missing key with 403 Access
    // Denied, not 404 (GetObject, "Permissions"), and intake could not tell a deleted or expired
    // message (recorded at once as raw-mail-missing) from a permission fault (retried). AWS
    // documents the 404 for "the s3:ListBucket permission on the bucket", not for a grant limited
    // by an s3:prefix condition, so the grant is on the bucket; it shows keys only (SES message
    // ids and case-file names), which this role may already read.
    this.intake.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'MissingRawMailIs404',
        actions: ['s3:ListBucket'],
        resources: [this.rawMailBucket.bucketArn],
      }),
    );
    grantCaseDataAccess(this.intake.role, caseData);
    mayCallGitHub(this.intake.role);
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
      reservedConcurrentExecutions: this.settings.reservedConcurrency.notices,
      environment: callingGitHub,
      retryAttempts: 2,
      deadLetterKey: this.key,
    });
    // No schedule rights: a one-time schedule deletes itself after it fires, and only intake
    // (maintainers' commands) plans, moves or cancels them.
    grantCaseDataAccess(this.notices.role, caseData);
    mayCallGitHub(this.notices.role);

    // --- Acknowledgment watch -------------------------------------------------------------------
    // Every 15 minutes: retries acknowledgments that did not go out and warns maintainers before
    // the answer deadline. A failed run is not retried (the next one comes soon). Runs do not
    // overlap without a reservation either: a run ends within its 5-minute timeout, long before
    // the next is due.
    this.watch = createEmbargoFunction(this, 'AckWatch', {
      config,
      entry: 'ack-watch',
      description: `Embargo (${config.project}): acknowledgment and answer-deadline watch`,
      memorySize: 512,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: this.settings.reservedConcurrency.ackWatch,
      environment: callingGitHub,
      retryAttempts: 0,
      maxEventAge: WATCH_INTERVAL,
    });
    grantCaseDataAccess(this.watch.role, caseData);
    mayCallGitHub(this.watch.role);
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
      reservedConcurrentExecutions: this.settings.reservedConcurrency.sendingEvents,
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

    this.ruleSet = createIntakeRule(this, {
      placement: this.intakeRule,
      securityAddress: config.securityAddress,
      bucket: this.rawMailBucket,
      objectKeyPrefix: RAW_MAIL_PREFIX,
      rawMailRole: createSesRawMailRole(this, {
        key: this.key,
        bucket: this.rawMailBucket,
        objectKeyPrefix: RAW_MAIL_PREFIX,
        intakeRuleArn,
      }),
      intake: this.intake.function,
    });

    // --- Alarms and outputs ----------------------------------------------------------------------
    this.alarms = createAlarms(this, config.project, props.alarmEmail);
    addStackOutputs(this, domain);

    this.acknowledgeNagFindings();
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
