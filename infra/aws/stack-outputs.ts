import {
  Aws,
  CfnOutput,
  type Stack,
  type aws_dynamodb as dynamodb,
  type aws_s3 as s3,
  type aws_secretsmanager as secretsmanager,
  type aws_ses as ses,
} from 'aws-cdk-lib';
import type { EmbargoFunction } from './functions/embargo-function';
import type { EmbargoAlarms } from './monitoring/embargo-alarms';
import type { NoticeScheduling } from './scheduling/notice-scheduling';
import type { SendingEvents } from './ses/sending-events';

/** What the outputs name: the resources an operator looks up after a deploy. */
export interface OutputSources {
  readonly table: dynamodb.Table;
  readonly rawMailBucket: s3.Bucket;
  readonly ruleSet: ses.IReceiptRuleSet;
  readonly intakeRule: { readonly ownRuleSet: boolean; readonly ruleName: string };
  readonly projectKeySecret: secretsmanager.Secret;
  readonly intake: EmbargoFunction;
  readonly notices: EmbargoFunction;
  readonly watch: EmbargoFunction;
  readonly sendingEvents: EmbargoFunction;
  readonly sending: SendingEvents;
  readonly scheduling: NoticeScheduling;
  readonly alarms: EmbargoAlarms;
  readonly domainIdentity: ses.EmailIdentity;
}

/**
 * The stack's outputs: the names and ARNs the deploy guide (docs/deploy.md) refers to, the DNS
 * records and the one command the operator still has to run by hand. `stack` is the
 * EmbargoStack itself (typed by what is read, so this file need not import it); the outputs go
 * directly below it, so their logical ids are their ids.
 */
export function addStackOutputs(stack: Stack & OutputSources, domain: string): void {
  new CfnOutput(stack, 'TableName', { value: stack.table.tableName });
  new CfnOutput(stack, 'RawMailBucketName', { value: stack.rawMailBucket.bucketName });
  new CfnOutput(stack, 'ReceiptRuleSetName', { value: stack.ruleSet.receiptRuleSetName });
  new CfnOutput(stack, 'ProjectKeySecretArn', {
    description:
      'Put the armored OpenPGP private key of the security address here (docs/deploy.md).',
    value: stack.projectKeySecret.secretArn,
  });
  new CfnOutput(stack, 'IntakeFunctionName', { value: stack.intake.function.functionName });
  new CfnOutput(stack, 'IntakeLogGroupName', { value: stack.intake.logGroup.logGroupName });
  new CfnOutput(stack, 'IntakeDeadLetterQueueUrl', {
    value: stack.intake.deadLetterQueue!.queueUrl,
  });
  new CfnOutput(stack, 'NoticesFunctionName', { value: stack.notices.function.functionName });
  new CfnOutput(stack, 'NoticesLogGroupName', { value: stack.notices.logGroup.logGroupName });
  new CfnOutput(stack, 'NoticesDeadLetterQueueUrl', {
    value: stack.notices.deadLetterQueue!.queueUrl,
  });
  new CfnOutput(stack, 'AckWatchFunctionName', { value: stack.watch.function.functionName });
  new CfnOutput(stack, 'AckWatchLogGroupName', { value: stack.watch.logGroup.logGroupName });
  new CfnOutput(stack, 'SendingEventsFunctionName', {
    value: stack.sendingEvents.function.functionName,
  });
  new CfnOutput(stack, 'SendingEventsLogGroupName', {
    value: stack.sendingEvents.logGroup.logGroupName,
  });
  new CfnOutput(stack, 'SendingEventsDeadLetterQueueUrl', {
    value: stack.sendingEvents.deadLetterQueue!.queueUrl,
  });
  new CfnOutput(stack, 'ConfigurationSetName', {
    description: 'The SES configuration set all mail is sent with',
    value: stack.sending.configurationSet.configurationSetName,
  });
  new CfnOutput(stack, 'SendingEventsTopicArn', {
    description: 'SES bounces, complaints, rejections and delays of sent mail',
    value: stack.sending.topic.topicArn,
  });
  new CfnOutput(stack, 'ScheduleGroupName', {
    value: stack.scheduling.group.scheduleGroupName,
  });
  new CfnOutput(stack, 'SchedulerDeadLetterQueueUrl', {
    description: 'Scheduled invocations that EventBridge Scheduler could not deliver',
    value: stack.scheduling.deadLetterQueue.queueUrl,
  });
  new CfnOutput(stack, 'AlarmTopicArn', {
    description: 'Alarm notifications; subscribe with -c alarmEmail=… or in the SNS console',
    value: stack.alarms.topic.topicArn,
  });
  if (stack.intakeRule.ownRuleSet) {
    new CfnOutput(stack, 'ActivateReceiptRuleSet', {
      description:
        'SES applies only one rule set per region: activating this one DEACTIVATES the rule set in use, ' +
        'and domains it serves stop receiving mail. Check first: aws ses describe-active-receipt-rule-set. ' +
        'If one is active, deploy with -c existingRuleSet=<its name> instead (docs/deploy.md, step 5). ' +
        'Otherwise run this once after the first deploy.',
      value: `aws ses set-active-receipt-rule-set --rule-set-name ${stack.ruleSet.receiptRuleSetName} --region ${Aws.REGION}`,
    });
  } else {
    new CfnOutput(stack, 'IntakeReceiptRule', {
      description:
        'The intake rule, first in the existing active rule set; nothing to activate. ' +
        'The set must stay active (see docs/deploy.md, step 5).',
      value: `${stack.ruleSet.receiptRuleSetName}/${stack.intakeRule.ruleName}`,
    });
  }
  new CfnOutput(stack, 'MxRecord', {
    description: `MX record for ${domain}`,
    value: `${domain} MX 10 inbound-smtp.${Aws.REGION}.amazonaws.com`,
  });
  stack.domainIdentity.dkimRecords.forEach((record, i) => {
    new CfnOutput(stack, `DkimRecord${i + 1}`, {
      description: `DKIM CNAME ${i + 1} of 3 for ${domain}`,
      value: `${record.name} CNAME ${record.value}`,
    });
  });
}
