import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  App,
  type CfnResource,
  type Environment,
  Validations,
  type aws_s3 as s3,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import { EmbargoStack } from '../../infra/aws/embargo-stack';
import {
  SES_RECEIVING_REGIONS,
  SES_RECEIVING_REGIONS_SOURCE,
} from '../../infra/aws/preflight/ses-receiving-regions';

// Template-only tests: functions are not bundled (the CDK CLI's switch for stacks it skips).
const config: EmbargoConfig = { ...defaultConfigFile, maintainers: [] };

function build(context: Record<string, unknown> = {}, env?: Environment, id = 'Embargo-example') {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new EmbargoStack(app, id, { config, env });
  return { stack, template: Template.fromStack(stack) };
}

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const roles = (s: EmbargoStack) =>
  [s.intake, s.notices, s.watch, s.sendingEvents].map((f) => f.role);

function identityStatements(template: Template, stack: EmbargoStack, role: { node: unknown }) {
  const roleId = stack.getLogicalId(
    (role as { node: { defaultChild: s3.CfnBucket } }).node.defaultChild,
  );
  return Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
    }),
  ).flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('reserved concurrency (context values)', () => {
  const reserved = (t: Template) =>
    Object.values(t.findResources('AWS::Lambda::Function')).map(
      (f) => f.Properties.ReservedConcurrentExecutions as number | undefined,
    );

  test('reserves nothing by default, so a new account (quota 10) can deploy', () => {
    expect(reserved(build().template)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('-c intakeConcurrency=… and the others reserve for each function', () => {
    const { stack, template } = build({
      intakeConcurrency: '10',
      noticesConcurrency: '5',
      ackWatchConcurrency: 1,
      sendingEventsConcurrency: '2',
    });
    const of = (fn: { function: { node: { defaultChild?: unknown } } }) =>
      template.toJSON().Resources[stack.getLogicalId(fn.function.node.defaultChild as s3.CfnBucket)]
        .Properties.ReservedConcurrentExecutions;
    expect([of(stack.intake), of(stack.notices), of(stack.watch), of(stack.sendingEvents)]).toEqual(
      [10, 5, 1, 2],
    );
  });

  test('with every function reserved, each sends at its share of the account rate (EMBARGO_SENDING_CONTAINERS)', () => {
    const containers = (t: Template) =>
      Object.values(t.findResources('AWS::Lambda::Function')).map(
        (f) => f.Properties.Environment.Variables.EMBARGO_SENDING_CONTAINERS as string | undefined,
      );
    const all = {
      intakeConcurrency: '10',
      noticesConcurrency: '5',
      ackWatchConcurrency: 1,
      sendingEventsConcurrency: '2',
    };
    expect(containers(build(all).template)).toEqual(['18', '18', '18', '18']);
    // One function unbounded: the number of containers is not known, and nothing is set.
    const { sendingEventsConcurrency: _unset, ...three } = all;
    expect(containers(build(three).template)).toEqual([undefined, undefined, undefined, undefined]);
    expect(containers(build().template)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('refuses a value that is not a positive whole number, naming the context value', () => {
    expect(() => build({ intakeConcurrency: 'lots' })).toThrow(
      /intakeConcurrency.*-c intakeConcurrency=10/,
    );
    expect(() => build({ noticesConcurrency: '0' })).toThrow(/noticesConcurrency/);
  });
});

describe('SES sandbox (context values)', () => {
  const sandboxStatements = (t: Template, s: EmbargoStack) =>
    roles(s).map((role) =>
      identityStatements(t, s, role).filter((st) => st.Sid === 'SendToSandboxIdentities'),
    );

  test('outside the sandbox, no function may send to any other identity', () => {
    const { stack, template } = build();
    expect(sandboxStatements(template, stack)).toEqual([[], [], [], []]);
  });

  test('-c sesSandbox=true -c sandboxIdentities=… lets every function send to those verified identities', () => {
    const { stack, template } = build(
      { sesSandbox: 'true', sandboxIdentities: 'Kevin@Example.NET, example.com' },
      { account: '111111111111', region: 'eu-west-1' },
    );
    for (const statements of sandboxStatements(template, stack)) {
      expect(statements).toHaveLength(1);
      expect([statements[0]!.Action].flat().sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const resources = JSON.stringify(statements[0]!.Resource);
      expect(resources).toContain(':ses:eu-west-1:111111111111:identity/kevin@example.net"');
      expect(resources).toContain(':ses:eu-west-1:111111111111:identity/example.com"');
      expect(statements[0]!.Resource).toHaveLength(2);
    }
  });

  test('refuses a sandbox without identities, identities without the sandbox, and a malformed identity', () => {
    expect(() => build({ sesSandbox: 'true' })).toThrow(/sandboxIdentities=you@example\.net/);
    expect(() => build({ sandboxIdentities: 'you@example.net' })).toThrow(/sesSandbox=true/);
    expect(() => build({ sesSandbox: 'true', sandboxIdentities: 'not an address' })).toThrow(
      /sandboxIdentities/,
    );
    expect(() => build({ sesSandbox: 'maybe' })).toThrow(/sesSandbox/);
  });
});

describe('region preflight', () => {
  test('refuses, at synth, a region where SES does not receive mail, naming it and where to look', () => {
    expect(() => build({}, { region: 'ap-southeast-3' })).toThrow(
      new RegExp(`ap-southeast-3.*${SES_RECEIVING_REGIONS_SOURCE.replace(/[./]/g, '\\$&')}`),
    );
  });

  test.each(SES_RECEIVING_REGIONS)('accepts %s', (region) => {
    expect(() => build({}, { region })).not.toThrow();
  });

  test('warns when the region is not known at synth', () => {
    const { stack } = build();
    Annotations.fromStack(stack).hasWarning(
      '*',
      Match.stringLikeRegexp('not checked for SES email receiving'),
    );
  });
});

describe('SES writes raw mail into the KMS-encrypted bucket with its own role (the documented IamRoleArn path)', () => {
  function sesRole(template: Template) {
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('ses.amazonaws.com'),
    );
    expect(roles).toHaveLength(1);
    const [id, role] = roles[0]!;
    const statements = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: Match.arrayWith([{ Ref: id }]) },
      }),
    ).flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    return { id, role, statements };
  }

  test('the S3 action names the role, and the role may only put under inbound/ and encrypt with the key', () => {
    const { stack, template } = build({}, { account: '111111111111', region: 'eu-west-1' });
    const { id, statements } = sesRole(template);
    const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0]!;
    expect(rule.Properties.Rule.Actions[0].S3Action.IamRoleArn).toEqual({
      'Fn::GetAtt': [id, 'Arn'],
    });
    expect(rule.Properties.Rule.Actions[0].S3Action.KmsKeyArn).toBeUndefined();
    const keyArn = stack.resolve(stack.key.keyArn);
    const bucketArn = stack.resolve(stack.rawMailBucket.bucketArn);
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [bucketArn, '/inbound/*']] },
      }),
      expect.objectContaining({ Action: ['kms:Encrypt', 'kms:GenerateDataKey'], Resource: keyArn }),
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: keyArn,
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
            },
            'kms:EncryptionContext:aws:s3:arn': bucketArn,
          },
        },
      }),
    ]);
  });

  test('only SES, for this account and the intake rule, may take the role; no bucket or key policy names SES', () => {
    const { stack, template } = build({}, { account: '111111111111', region: 'eu-west-1' });
    const { role } = sesRole(template);
    const [trust] = role.Properties.AssumeRolePolicyDocument.Statement as Statement[];
    expect(trust!.Principal).toEqual({ Service: 'ses.amazonaws.com' });
    expect(trust!.Condition!.StringEquals!['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    const ruleArn = JSON.stringify(trust!.Condition!.StringEquals!['aws:SourceArn']);
    expect(ruleArn).toContain('receipt-rule-set/embargo-example:receipt-rule/intake');
    expect(JSON.stringify(template.findResources('AWS::S3::BucketPolicy'))).not.toContain(
      'ses.amazonaws.com',
    );
    const dataKeyId = stack.getLogicalId(stack.key.node.defaultChild as CfnResource);
    expect(
      JSON.stringify(template.toJSON().Resources[dataKeyId].Properties.KeyPolicy),
    ).not.toContain('ses.amazonaws.com');
    const permission = Object.values(
      template.findResources('AWS::Lambda::Permission', {
        Properties: { Principal: 'ses.amazonaws.com' },
      }),
    );
    expect(permission.map((p) => JSON.stringify(p.Properties.SourceArn))).toEqual([ruleArn]);
  });

  test('the rule is created after the role and its policy (SES test-writes when the rule is created)', () => {
    const { template } = build();
    const { id } = sesRole(template);
    const rule = Object.values(template.findResources('AWS::SES::ReceiptRule'))[0]!;
    const policyIds = Object.keys(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: Match.arrayWith([{ Ref: id }]) },
      }),
    );
    expect(rule.DependsOn).toEqual(expect.arrayContaining([id, ...policyIds]));
  });
});

describe('receipt rule set', () => {
  test('the activation output warns that it deactivates the set in use, and names the alternative', () => {
    const outputs = build().template.toJSON().Outputs;
    expect(outputs.ActivateReceiptRuleSet.Description).toMatch(/DEACTIVATES the rule set in use/);
    expect(outputs.ActivateReceiptRuleSet.Description).toMatch(/-c existingRuleSet=/);
  });

  test('-c existingRuleSet=… puts the intake rule first in that set, stops there, and creates no set', () => {
    const { template } = build(
      { existingRuleSet: 'main-set' },
      { account: '111111111111', region: 'eu-west-1' },
    );
    template.resourceCountIs('AWS::SES::ReceiptRuleSet', 0);
    const rules = Object.values(template.findResources('AWS::SES::ReceiptRule'));
    expect(rules).toHaveLength(1);
    const props = rules[0]!.Properties;
    expect(props.RuleSetName).toBe('main-set');
    expect(props.After).toBeUndefined();
    expect(props.Rule.Name).toBe('embargo-example');
    expect(props.Rule.Recipients).toEqual(['security@example.org']);
    expect(props.Rule.Actions.map((a: object) => Object.keys(a)[0])).toEqual([
      'S3Action',
      'LambdaAction',
      'StopAction',
    ]);
    // SES's role names the rule where it really is.
    const roles = JSON.stringify(template.findResources('AWS::IAM::Role'));
    expect(roles).toContain('receipt-rule-set/main-set:receipt-rule/embargo-example');
    const outputs = template.toJSON().Outputs;
    expect(outputs.ActivateReceiptRuleSet).toBeUndefined();
    expect(outputs.IntakeReceiptRule.Value).toBe('main-set/embargo-example');
  });
});

describe('cdk-nag AwsSolutions, with the context values', () => {
  test('finds nothing unacknowledged with reservations, sandbox identities and a shared rule set', () => {
    const nagApp = new App({
      context: {
        'aws:cdk:bundling-stacks': [],
        intakeConcurrency: '10',
        sesSandbox: 'true',
        sandboxIdentities: 'you@example.net',
        existingRuleSet: 'main-rules',
      },
    });
    const nagStack = new EmbargoStack(nagApp, 'Embargo-example', {
      config,
      env: { account: '111111111111', region: 'eu-west-1' },
    });
    const pack = new AwsSolutionsChecks(nagApp, { verbose: true });
    Validations.of(nagApp).addPlugins(pack);
    expect(() => nagApp.synth()).not.toThrow();
    expect(pack.validateScope(nagStack).violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('teardown documentation', () => {
  /** The rows of the table in docs/deploy.md's Teardown section: type, count, failed-deploy fate. */
  function documentedLeftovers(): Record<string, { count: number; afterFailedDeploy: string }> {
    const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy.md'), 'utf8');
    const section = doc.slice(doc.indexOf('\n## Teardown'));
    const rows: Record<string, { count: number; afterFailedDeploy: string }> = {};
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const type = /^`(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)`$/.exec(cells[2] ?? '')?.[1];
      if (!type) continue;
      rows[type] = { count: Number(cells[3]), afterFailedDeploy: (cells[4] ?? '').split(' ')[0]! };
    }
    return rows;
  }

  /** What the template keeps: DeletionPolicy Retain (always) or RetainExceptOnCreate. */
  function retainedByTemplate(): Record<string, { count: number; afterFailedDeploy: string }> {
    const rows: Record<string, { count: number; afterFailedDeploy: string }> = {};
    for (const resource of Object.values<{ Type: string; DeletionPolicy?: string }>(
      build().template.toJSON().Resources,
    )) {
      if (
        resource.DeletionPolicy !== 'Retain' &&
        resource.DeletionPolicy !== 'RetainExceptOnCreate'
      )
        continue;
      const afterFailedDeploy = resource.DeletionPolicy === 'Retain' ? 'left' : 'deleted';
      const row = (rows[resource.Type] ??= { count: 0, afterFailedDeploy });
      row.count += 1;
      // One type, one fate: otherwise the table needs a row per resource.
      expect(row.afterFailedDeploy).toBe(afterFailedDeploy);
    }
    return rows;
  }

  test('lists exactly the resources a deleted or failed stack leaves behind', () => {
    const retained = retainedByTemplate();
    expect(Object.keys(retained).length).toBeGreaterThan(0);
    expect(documentedLeftovers()).toEqual(retained);
  });
});
