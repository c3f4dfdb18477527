import { App, type aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { defaultConfigFile } from '../../shared/config/embargo-config';
import { EmbargoStack } from '../../infra/aws/embargo-stack';

describe('the sending budget alarms', () => {
  // Unbundled (the CDK CLI's own switch for stacks it does not deploy): the template is enough.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new EmbargoStack(app, 'Embargo-example', {
    config: { ...defaultConfigFile, maintainers: [] },
  });
  const template = Template.fromStack(stack);
  const ref = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);

  test.each([
    ['Intake', () => stack.intake],
    ['Notices', () => stack.notices],
    ['AckWatch', () => stack.watch],
    ['SendingEvents', () => stack.sendingEvents],
  ])('count outbound.budget-low in the %s log and alarm on one', (name, fn) => {
    const metricName = `${name}SendingBudgetLow`;
    const filters = Object.values(
      template.findResources('AWS::Logs::MetricFilter', {
        Properties: { MetricTransformations: [Match.objectLike({ MetricName: metricName })] },
      }),
    );
    expect(filters).toHaveLength(1);
    expect(filters[0]!.Properties).toMatchObject({
      LogGroupName: { Ref: ref(fn().logGroup) },
      FilterPattern:
        '{ ($.event = "outbound.budget-low") || ($.message.event = "outbound.budget-low") }',
    });
    const alarms = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: metricName, Namespace: 'Embargo/example' },
      }),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.Properties).toMatchObject({
      Threshold: 1,
      AlarmDescription: expect.stringContaining('90 % of maxMailsPerDay'),
    });
  });
});
