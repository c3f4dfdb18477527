import type {
  Duration,
  aws_iam as iam,
  aws_scheduler as scheduler,
  aws_sqs as sqs,
} from 'aws-cdk-lib';

export interface LambdaScheduleTargetProps {
  readonly functionArn: string;
  /** The role the schedule invokes the function with; it must already allow that. */
  readonly role: iam.IRole;
  /** Where EventBridge Scheduler puts an invocation it could not deliver. */
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/**
 * A schedule target that invokes a Lambda function with a given role and grants nothing. The
 * stock `aws_scheduler_targets.LambdaInvoke` grants the role `lambda:InvokeFunction` on the
 * function and all its versions (`<arn>:*`), and only `sqs:SendMessage` on the dead-letter
 * queue, which is not enough for a KMS-encrypted queue; the stack grants exactly what is needed
 * instead (see NoticeScheduling).
 */
export class LambdaScheduleTarget implements scheduler.IScheduleTarget {
  constructor(private readonly props: LambdaScheduleTargetProps) {}

  bind(): scheduler.ScheduleTargetConfig {
    return {
      arn: this.props.functionArn,
      role: this.props.role,
      deadLetterConfig: { arn: this.props.deadLetterQueue.queueArn },
      retryPolicy: {
        maximumRetryAttempts: this.props.retryAttempts,
        maximumEventAgeInSeconds: this.props.maxEventAge.toSeconds(),
      },
    };
  }
}
