import {
  App,
  Stack,
  Validations,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createGitHubTokenSecret } from '../../infra/aws/data/github-token-secret';
import { EmbargoStack } from '../../infra/aws/embargo-stack';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';

const github = { repository: 'example/cryptolib', apiBaseUrl: 'https://api.github.com' };

describe('the GitHub token secret', () => {
  it('exists only when the configuration names a repository, encrypted with the stack key', () => {
    const stack = new Stack(new App(), 'T');
    const key = new kms.Key(stack, 'Key');
    expect(createGitHubTokenSecret(stack, defaultConfigFile, key)).toBeUndefined();
    const config = { ...defaultConfigFile, github };
    expect(createGitHubTokenSecret(stack, config, key)).toBeDefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
    });
    template.hasOutput('GitHubTokenSecretArn', {});
  });

  it('says in its description which permissions the configured publications need', () => {
    const stack = new Stack(new App(), 'T');
    const key = new kms.Key(stack, 'Key');
    const config: EmbargoConfig = {
      ...defaultConfigFile,
      github,
      osv: { repository: 'example/osv-records', folder: 'osv' },
      csaf: {
        repository: 'example/csaf-site',
        folder: 'csaf',
        baseUrl: 'https://example.github.io/csaf-site/csaf/',
      },
    };
    createGitHubTokenSecret(stack, config, key);
    const [secret] = Object.values(
      Template.fromStack(stack).findResources('AWS::SecretsManager::Secret'),
    ) as { Properties: { Description: string } }[];
    const description = secret!.Properties.Description;
    expect(description).toContain('"Repository security advisories: Read and write"');
    expect(description).toContain('"Contents: Read and write" on example/osv-records');
    expect(description).toContain('"Contents: Read and write" on example/csaf-site');
  });
});

/** The whole stack synthesized with `github` configured (functions not bundled: template only). */
describe('the stack with github configured', () => {
  const synth = (config: EmbargoConfig) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new EmbargoStack(app, 'Embargo-example', { config });
    return { stack, template: Template.fromStack(stack) };
  };
  const { stack, template } = synth({ ...defaultConfigFile, github });
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as lambda.CfnFunction);
  const secretIds = Object.keys(
    template.findResources('AWS::SecretsManager::Secret', {
      Properties: { Description: Match.stringLikeRegexp('GitHub token') },
    }),
  );
  const secretRef = { Ref: secretIds[0] };
  const fns = {
    intake: stack.intake,
    notices: stack.notices,
    watch: stack.watch,
    sendingEvents: stack.sendingEvents,
  };

  function readsSecret(role: iam.IRole): boolean {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: logicalId(role as iam.Role) }]) },
    });
    return Object.values(policies).some((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]).some(
        (s) =>
          JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue') &&
          JSON.stringify(s.Resource) === JSON.stringify(secretRef),
      ),
    );
  }
  function environmentOf(fn: { function: lambda.IFunction }): Record<string, unknown> {
    const resource = template.toJSON().Resources[logicalId(fn.function as lambda.Function)];
    return resource.Properties.Environment.Variables;
  }

  it('has one GitHub token secret, encrypted with the stack key and kept on deletion', () => {
    expect(secretIds).toHaveLength(1);
    const secret = template.toJSON().Resources[secretIds[0]!];
    expect(secret.Properties.KmsKeyId).toEqual({
      'Fn::GetAtt': [stack.getLogicalId(stack.key.node.defaultChild as kms.CfnKey), 'Arn'],
    });
    expect(secret.DeletionPolicy).toBe('Retain');
    template.hasOutput('GitHubTokenSecretArn', { Value: secretRef });
  });

  it.each(['intake', 'notices', 'watch'] as const)(
    '%s, which calls GitHub, may read the secret and has its ARN in the environment',
    (name) => {
      expect(readsSecret(fns[name].role)).toBe(true);
      expect(environmentOf(fns[name]).EMBARGO_GITHUB_TOKEN_SECRET_ARN).toEqual(secretRef);
    },
  );

  it('the sending-events function, which never calls GitHub, may not read it nor knows it', () => {
    expect(readsSecret(fns.sendingEvents.role)).toBe(false);
    expect(environmentOf(fns.sendingEvents)).not.toHaveProperty('EMBARGO_GITHUB_TOKEN_SECRET_ARN');
  });

  it('no role other than those three may read it', () => {
    const readers = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.PolicyDocument).includes(JSON.stringify(secretRef)),
    );
    const roles = readers.flatMap((p) => p.Properties.Roles as { Ref: string }[]);
    expect(roles.map((r) => r.Ref).sort()).toEqual(
      [fns.intake, fns.notices, fns.watch].map((f) => logicalId(f.role as iam.Role)).sort(),
    );
  });

  it('has no cdk-nag finding that is not acknowledged with a reason', () => {
    const nagApp = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const nagStack = new EmbargoStack(nagApp, 'Embargo-example', {
      config: { ...defaultConfigFile, github },
    });
    const pack = new AwsSolutionsChecks(nagApp, { verbose: true });
    Validations.of(nagApp).addPlugins(pack);
    expect(() => nagApp.synth()).not.toThrow();
    const report = pack.validateScope(nagStack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  it('without github there is no such secret, grant or variable', () => {
    const plain = synth(defaultConfigFile);
    expect(JSON.stringify(plain.template.toJSON())).not.toMatch(
      /GitHubToken|EMBARGO_GITHUB_TOKEN_SECRET_ARN/,
    );
  });
});
