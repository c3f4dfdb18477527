import { App, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { defaultConfigFile } from '../../shared/config/embargo-config';
import { EmbargoStack } from '../../infra/aws/embargo-stack';

describe('the alarm on refused input', () => {
  // Unbundled (the CDK CLI's own switch for stacks it does not deploy): the template is enough.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new EmbargoStack(app, 'Embargo-example', {
    config: { ...defaultConfigFile, maintainers: [] },
  });
  const template = Template.fromStack(stack);
  const ref = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);

  test('counts function.input-refused in the intake, notices and sending-events logs, and alarms on one', () => {
    const filters = Object.values(
      template.findResources('AWS::Logs::MetricFilter', {
        Properties: { MetricTransformations: [Match.objectLike({ MetricName: 'InputRefused' })] },
      }),
    );
    expect(filters.map((f) => f.Properties.LogGroupName)).toEqual(
      [stack.intake, stack.notices, stack.sendingEvents].map((fn) => ({ Ref: ref(fn.logGroup) })),
    );
    for (const filter of filters)
      expect(filter.Properties.FilterPattern).toBe(
        '{ ($.event = "function.input-refused") || ($.message.event = "function.input-refused") }',
      );
    const alarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'InputRefused', Namespace: 'Embargo/example' },
      }),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({ Threshold: 1 });
  });
});
