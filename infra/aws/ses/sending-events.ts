import {
  ArnFormat,
  Aws,
  RemovalPolicy,
  Stack,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_ses as ses,
  aws_sns as sns,
  aws_sns_subscriptions as subscriptions,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface SendingEventsProps {
  /** The configuration set's name (EMBARGO_SES_CONFIGURATION_SET). */
  readonly configurationSetName: string;
}

/** What SES reports to the topic: everything that means a mail did not (yet) arrive well. */
export const SENDING_EVENT_TYPES = [
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];

/**
 * The SES configuration set every mail Embargo sends goes out with, and its event destination:
 * bounces, complaints, rejections and delivery delays are published to an SNS topic, which the
 * sending-events function subscribes to. The topic is encrypted with a key of its own, which
 * only SES of this account (besides the account's administrators) may use, and accepts only
 * TLS requests and SES publishing for this configuration set.
 */
export class SendingEvents extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly topic: sns.Topic;
  /** Encrypts the topic. Its own key, so SES gets no use of the key that protects cases. */
  readonly key: kms.Key;
  readonly eventDestination: ses.ConfigurationSetEventDestination;

  constructor(scope: Construct, id: string, props: SendingEventsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      // Bounce and complaint rates per configuration set, beside the account's.
      reputationMetrics: true,
      sendingEnabled: true,
    });

    this.key = new kms.Key(this, 'TopicKey', {
      description: `${stack.stackName}: encrypts the SES sending-events topic`,
      enableKeyRotation: true,
      // Only notifications in flight are encrypted with it; nothing stored depends on it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // SES publishes to an encrypted topic only with these on the topic's customer managed key
    // (docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToPublishSendingEvents',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" means this key
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `${stack.stackName} SES sending events`,
      masterKey: this.key,
      enforceSSL: true,
    });

    // Adds the topic policy statement for SES (aws:SourceAccount and the configuration set's
    // ARN as aws:SourceArn), and makes the destination wait for it.
    this.eventDestination = this.configurationSet.addEventDestination('ToTopic', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: SENDING_EVENT_TYPES,
      enabled: true,
    });
  }

  /** The configuration set's ARN, which sending with it requires permission for. */
  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** Delivers every notification on the topic to the function (SNS invokes it asynchronously). */
  subscribe(fn: lambda.IFunction): void {
    this.topic.addSubscription(new subscriptions.LambdaSubscription(fn));
  }
}
