import {
  ArnFormat,
  Aws,
  Duration,
  RemovalPolicy,
  Stack,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface EmbargoAlarmsProps {
  /** Namespace of the metrics made from log lines, e.g. `Embargo/<project>`. */
  readonly metricNamespace: string;
  /** Subscribed to the alarm topic (SNS asks the address to confirm first). */
  readonly email?: string;
}

/**
 * Alarms for the things nobody would otherwise notice in time: events in a dead-letter queue,
 * failed invocations, log lines that say a promise to a reporter is at risk, and a bounce rate
 * that puts the SES account at risk. Every alarm notifies one encrypted SNS topic.
 */
export class EmbargoAlarms extends Construct {
  readonly topic: sns.Topic;
  /** Encrypts the topic. Its own key, so CloudWatch gets no use of the key that protects cases. */
  readonly key: kms.Key;
  private readonly action: actions.SnsAction;
  private readonly alarmNamePrefix: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: EmbargoAlarmsProps,
  ) {
    super(scope, id);
    const stack = Stack.of(this);
    this.alarmNamePrefix = `${stack.stackName}-`;
    const alarmArns = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${this.alarmNamePrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const cloudwatchPrincipal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': alarmArns },
    };

    this.key = new kms.Key(this, 'TopicKey', {
      description: `${stack.stackName}: encrypts the alarm topic`,
      enableKeyRotation: true,
      // Only in-flight notifications are encrypted with it; nothing stored depends on it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch cannot publish to a topic under the AWS managed SNS key; under a customer
    // managed key it needs these (docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudwatchPrincipal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" means this key
        conditions: fromOwnAlarms,
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `${stack.stackName} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // The topic policy that enforceSSL creates replaces SNS's default one, so the alarms of
    // this stack need an explicit allow.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [cloudwatchPrincipal],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.action = new actions.SnsAction(this.topic);
  }

  /** Alarms while the queue holds a message: something failed every retry and waits there. */
  whenQueueNotEmpty(id: string, queue: sqs.IQueue, description: string): cloudwatch.Alarm {
    return this.alarm(id, description, {
      metric: queue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
  }

  /** Alarms when an invocation of the function fails. */
  whenFunctionFails(id: string, fn: lambda.IFunction, description: string): cloudwatch.Alarm {
    return this.alarm(id, description, {
      metric: fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
  }

  /**
   * Counts the log lines of an event (`{"event":"<name>",…}`, as shared/logging/json-logger.ts
   * writes them) into a metric, and alarms when one is logged.
   *
   * The logger writes each line to stdout itself, not through `console`. Under Lambda's JSON
   * log format such a line, being a JSON object, is kept as that object (with `level` and a
   * timestamp read from it), so the event is `$.event`. Had the runtime wrapped it, as it wraps
   * `console` output, the object would be `$.message`: the filter matches either form.
   */
  whenLogged(
    id: string,
    logGroup: logs.ILogGroup,
    event: string,
    description: string,
  ): { filter: logs.MetricFilter; alarm: cloudwatch.Alarm } {
    const { filters, alarm } = this.whenLoggedInAny(id, [[``, logGroup]], event, description);
    return { filter: filters[0]!, alarm };
  }

  /**
   * As whenLogged, for the same event in several log groups (`[idSuffix, group]`): a filter
   * for each, all into one metric, and one alarm on it.
   */
  whenLoggedInAny(
    id: string,
    logGroups: readonly (readonly [string, logs.ILogGroup])[],
    event: string,
    description: string,
  ): { filters: logs.MetricFilter[]; alarm: cloudwatch.Alarm } {
    const filters = logGroups.map(
      ([suffix, logGroup]) =>
        new logs.MetricFilter(this, `${id}${suffix}Filter`, {
          logGroup,
          filterPattern: logs.FilterPattern.any(
            logs.FilterPattern.stringValue('$.event', '=', event),
            logs.FilterPattern.stringValue('$.message.event', '=', event),
          ),
          metricNamespace: this.props.metricNamespace,
          metricName: id,
          metricValue: '1',
        }),
    );
    const filter = filters[0]!;
    const alarm = this.alarm(id, description, {
      metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(15) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
    return { filters, alarm };
  }

  /** Alarms when the account's SES bounce rate exceeds `rate` (SES reviews accounts at 5 %). */
  whenBounceRateAbove(id: string, rate: number, description: string): cloudwatch.Alarm {
    return this.alarm(id, description, {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName: 'Reputation.BounceRate',
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.hours(1),
      }),
      threshold: rate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    });
  }

  private alarm(
    id: string,
    description: string,
    props: Pick<cloudwatch.AlarmProps, 'metric' | 'threshold' | 'comparisonOperator'>,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      // Named after the stack, so the topic and key policies can name this stack's alarms.
      alarmName: `${this.alarmNamePrefix}${id}`,
      alarmDescription: description,
      evaluationPeriods: 1,
      // No data means nothing happened (no errors, no messages, no such log line).
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
