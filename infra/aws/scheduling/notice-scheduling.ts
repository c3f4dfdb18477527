import {
  ArnFormat,
  Aws,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_scheduler as scheduler,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LambdaScheduleTarget } from './lambda-schedule-target';

export interface NoticeSchedulingProps {
  /** The schedule group's name; the code creates its schedules in it (EMBARGO_SCHEDULE_GROUP). */
  readonly groupName: string;
  /** Encrypts the dead-letter queue. */
  readonly key: kms.IKey;
  /** The notices function's ARN, known before the function exists (its name is fixed). */
  readonly noticesFunctionArn: string;
}

/**
 * EventBridge Scheduler for Embargo: the schedule group, the role that notice schedules invoke
 * the notices function with, and the dead-letter queue for invocations the scheduler could not
 * deliver. The code (shared/adapters/scheduler/eventbridge-notice-scheduler.ts) creates one-time
 * notice schedules in the group at run time; recurring schedules are added here.
 */
export class NoticeScheduling extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly deadLetterQueue: sqs.Queue;
  /** The role notice schedules run with (EMBARGO_SCHEDULER_ROLE_ARN). */
  readonly noticeRole: iam.Role;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: NoticeSchedulingProps) {
    super(scope, id);
    this.key = props.key;
    // Destroyed with the stack, together with the pending notice schedules in it (their target
    // is deleted too). Retained, it would make a later deploy of the stack fail on its name.
    this.group = new scheduler.ScheduleGroup(this, 'Group', {
      scheduleGroupName: props.groupName,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the dead-letter queue of the group's schedules (their DeadLetterConfig), which cdk-nag does not recognise as such; a dead-letter queue needs none of its own.",
    });
    this.noticeRole = this.invokerRole(
      'NoticeRole',
      props.noticesFunctionArn,
      'Embargo notice schedules: invoke the notices function',
    );
  }

  /** The ARNs of every schedule in the group, and of no schedule elsewhere. */
  get scheduleArns(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.group.scheduleGroupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets a function's role create, replace and delete schedules in the group (not elsewhere),
   * and hand the scheduler the notice role (and no other role) for them.
   */
  grantManageSchedules(role: iam.Role): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageNoticeSchedules',
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
        ],
        resources: [this.scheduleArns],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassNoticeSchedulerRole',
        actions: ['iam:PassRole'],
        resources: [this.noticeRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, this.scheduleArns)}]`,
      reason:
        'Notice schedules are named after the case and the notice, known only at run time; the actions are limited to schedules in the one Embargo schedule group.',
    });
  }

  /**
   * A recurring schedule in the group that invokes a function, with a role of its own that may
   * invoke only that function. An invocation that is due while the previous one is still being
   * retried is pointless, so the scheduler gives up on one after `maxEventAge`.
   */
  addRecurringInvocation(
    id: string,
    props: {
      readonly function: lambda.IFunction;
      readonly schedule: scheduler.ScheduleExpression;
      readonly scheduleName: string;
      readonly description: string;
      readonly maxEventAge: Duration;
    },
  ): scheduler.Schedule {
    const role = this.invokerRole(
      `${id}Role`,
      props.function.functionArn,
      `Embargo schedule ${props.scheduleName}: invoke its function`,
    );
    return new scheduler.Schedule(this, id, {
      scheduleName: props.scheduleName,
      scheduleGroup: this.group,
      schedule: props.schedule,
      description: props.description,
      timeWindow: scheduler.TimeWindow.off(),
      target: new LambdaScheduleTarget({
        functionArn: props.function.functionArn,
        role,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 2,
        maxEventAge: props.maxEventAge,
      }),
    });
  }

  /**
   * A role that only schedules of this group, in this account, can assume, and that may invoke
   * one function and put undeliverable invocations into the dead-letter queue.
   */
  private invokerRole(id: string, functionArn: string, description: string): iam.Role {
    const role = new iam.Role(this, id, {
      description,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': this.group.scheduleGroupArn,
          },
        },
      }),
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTarget',
        actions: ['lambda:InvokeFunction'],
        resources: [functionArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetter',
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
      }),
    );
    // SQS accepts a message into a KMS-encrypted queue only from a sender that may use the key.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetterKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.key.keyArn],
      }),
    );
    return role;
  }
}

/**
 * An ARN as cdk-nag writes it in a finding id: literal parts as they are, references (pseudo
 * parameters such as the partition, or the region when the stack has none) as `<Name>`.
 */
function nagArn(scope: Construct, arn: string): string {
  const resolved: unknown = Stack.of(scope).resolve(arn);
  if (typeof resolved === 'string') return resolved;
  const [separator, parts] = (resolved as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts
    .map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`))
    .join(separator);
}
