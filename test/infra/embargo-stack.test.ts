import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { EmbargoStack } from '../../infra/aws/embargo-stack';
import { domainOf, ruleSetNameFor, stackNameFor } from '../../infra/aws/names';

/** An armored block the size of an RSA-4096 public key with a few signatures (not a real key). */
const rsaSizedKey = (seed: string) =>
  `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${seed.repeat(1500)}\n-----END PGP PUBLIC KEY BLOCK-----\n`;

// With the maintainers' keys the configuration is well over Lambda's 4 KB environment limit,
// which is why it is bundled into the code instead.
const config: EmbargoConfig = {
  project: 'example',
  securityAddress: 'security@example.org',
  announceAddress: 'announce@example.org',
  maintainers: [
    { name: 'Alice', email: 'alice@example.org', publicKeyArmored: rsaSizedKey('QUJD') },
    { name: 'Bob', email: 'bob@example.org', publicKeyArmored: rsaSizedKey('REVG') },
  ],
  ackWithinHours: 48,
  advanceNoticeDays: 7,
  urgentNoticeDays: 1,
  commandSignatureMaxAgeDays: 7,
  acceptDkimDmarcCommands: false,
  mainBranch: 'main',
  supportedReleases: [],
  upstreamSenders: [],
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Sid?: string;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

function resourcesOf(statement: Statement): unknown[] {
  if (statement.Resource === undefined) return [];
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

// Bundling runs esbuild on functions/intake.ts, so each stack takes a moment: build it once.
let app: App;
let stack: EmbargoStack;
let template: Template;
let ref: (construct: { node: { defaultChild?: unknown } }) => string;

beforeAll(() => {
  app = new App();
  stack = new EmbargoStack(app, 'Embargo-example', { config });
  template = Template.fromStack(stack);
  ref = (construct) => stack.getLogicalId(construct.node.defaultChild as s3.CfnBucket);
});

function rolePolicyStatements(): Statement[] {
  const roleId = ref(stack.intakeFunction.role as unknown as { node: { defaultChild?: unknown } });
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

function rawMailBucketPolicyStatements(): Statement[] {
  const policies = template.findResources('AWS::S3::BucketPolicy', {
    Properties: { Bucket: { Ref: ref(stack.rawMailBucket) } },
  });
  const [policy] = Object.values(policies);
  expect(policy).toBeDefined();
  return (policy!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

describe('KMS key', () => {
  test('has rotation enabled and is retained with the data it protects', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });

  test('lets only SES of this account generate data keys (for SSE-KMS writes)', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: ['kms:Encrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });
});

describe('raw-mail bucket', () => {
  const bucketProps = () => template.toJSON().Resources[ref(stack.rawMailBucket)].Properties;

  test('is encrypted with the stack key (SSE-KMS)', () => {
    expect(bucketProps().BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: stack.resolve(stack.key.keyArn),
          },
        },
      ],
    });
  });

  test('is versioned', () => {
    expect(bucketProps().VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('blocks all public access', () => {
    expect(bucketProps().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  test('writes server access logs to the access-log bucket', () => {
    expect(bucketProps().LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: ref(stack.accessLogBucket) },
      LogFilePrefix: 'raw-mail/',
    });
  });

  test('is retained when the stack is deleted', () => {
    expect(template.toJSON().Resources[ref(stack.rawMailBucket)].DeletionPolicy).toBe('Retain');
  });

  test('denies every request that is not over TLS', () => {
    const bucketArn = stack.resolve(stack.rawMailBucket.bucketArn);
    expect(rawMailBucketPolicyStatements()).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
      }),
    );
  });

  test('allows only SES of this account, through the intake rule, to put objects under inbound/', () => {
    const allows = rawMailBucketPolicyStatements().filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [allow] = allows;
    expect(allow!.Principal).toEqual({ Service: 'ses.amazonaws.com' });
    expect(allow!.Action).toBe('s3:PutObject');
    expect(allow!.Resource).toEqual({
      'Fn::Join': ['', [stack.resolve(stack.rawMailBucket.bucketArn), '/inbound/*']],
    });
    const equals = allow!.Condition?.StringEquals ?? {};
    expect(equals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(equals['aws:SourceArn'])).toContain(
      ':receipt-rule-set/embargo-example:receipt-rule/intake',
    );
  });
});

describe('access-log bucket', () => {
  test('is private, TLS-only and accepts logs from the raw-mail bucket only', () => {
    const bucket = template.toJSON().Resources[ref(stack.accessLogBucket)];
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ],
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ref(stack.accessLogBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: Match.objectLike({
              ArnLike: { 'aws:SourceArn': stack.resolve(stack.rawMailBucket.bucketArn) },
            }),
          }),
        ]),
      },
    });
  });
  test('keeps logs for a year and survives stack deletion', () => {
    const bucket = template.toJSON().Resources[ref(stack.accessLogBucket)];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'expire-access-logs', ExpirationInDays: 365, Status: 'Enabled' }],
    });
  });
});

describe('case table', () => {
  const table = () => template.toJSON().Resources[ref(stack.table)];

  test('has keys pk/sk and the gsi1 index (gsi1pk/gsi1sk, projection ALL)', () => {
    const props = table().Properties;
    expect(props.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
    );
    expect(props.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
  });

  test('is on-demand', () => {
    expect(table().Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  test('has point-in-time recovery', () => {
    expect(table().Properties.PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
  });

  test('is encrypted with the stack key', () => {
    expect(table().Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: stack.resolve(stack.key.keyArn),
    });
  });

  test('has deletion protection and is retained', () => {
    expect(table().Properties.DeletionProtectionEnabled).toBe(true);
    expect(table().DeletionPolicy).toBe('Retain');
  });
});

describe('intake Lambda', () => {
  const fn = () => template.toJSON().Resources[ref(stack.intakeFunction)].Properties;

  test('runs Node.js 22 on arm64 with the planned size, timeout and concurrency', () => {
    expect(fn()).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 60,
      ReservedConcurrentExecutions: 10,
    });
  });

  test('gets the environment contract: table, bucket, prefixes and project key secret', () => {
    const vars = fn().Environment.Variables;
    expect(Object.keys(vars).sort()).toEqual([
      'EMBARGO_CASE_FILES_PREFIX',
      'EMBARGO_PROJECT_KEY_SECRET_ARN',
      'EMBARGO_RAW_MAIL_BUCKET',
      'EMBARGO_RAW_MAIL_PREFIX',
      'EMBARGO_TABLE_NAME',
      'NODE_OPTIONS',
    ]);
    expect(vars.EMBARGO_TABLE_NAME).toEqual({ Ref: ref(stack.table) });
    expect(vars.EMBARGO_RAW_MAIL_BUCKET).toEqual({ Ref: ref(stack.rawMailBucket) });
    expect(vars.EMBARGO_RAW_MAIL_PREFIX).toBe('inbound/');
    expect(vars.EMBARGO_CASE_FILES_PREFIX).toBe('case-files/');
    expect(vars.EMBARGO_PROJECT_KEY_SECRET_ARN).toEqual({ Ref: ref(stack.projectKeySecret) });
  });

  test('does not carry the configuration in its environment (it would exceed 4 KB)', () => {
    expect(JSON.stringify(config).length).toBeGreaterThan(4096);
    expect(fn().Environment.Variables).not.toHaveProperty('EMBARGO_CONFIG_JSON');
    expect(JSON.stringify(fn().Environment)).not.toContain('security@example.org');
  });

  describe('bundle', () => {
    // The asset directory cdk.out holds for the function's code: asset.<hash>, the S3 key's stem.
    const bundleFile = () => {
      const s3Key = fn().Code.S3Key as string;
      expect(s3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
      return path.join(app.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.js');
    };

    test('has the configuration built in', () => {
      expect(existsSync(bundleFile())).toBe(true);
      const code = readFileSync(bundleFile(), 'utf8');
      expect(code).toContain('security@example.org');
      expect(code).toContain('announce@example.org');
      expect(code).toContain('bob@example.org');
    });

    test('is strict-mode code even with the banner in front of it', () => {
      expect(readFileSync(bundleFile(), 'utf8')).toMatch(/^'use strict';/);
    });

    test('runs on the built-in configuration, not on an EMBARGO_CONFIG_JSON variable', () => {
      // Loads the bundle as Lambda would (which also shows that it loads at all: openpgp needs
      // import.meta.url, see the stack) and invokes it with an empty event. The services are
      // built first (from the environment and the configuration), then the event is refused, so
      // an event error means the configuration parsed. A configuration read from the environment
      // would fail on the invalid value set here instead.
      const script = `
        require(process.env.BUNDLE).handler({ Records: [] }).then(
          () => console.log('accepted'),
          (err) => console.log(err.message),
        );`;
      const run = spawnSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          BUNDLE: bundleFile(),
          AWS_REGION: 'eu-west-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          EMBARGO_TABLE_NAME: 'table',
          EMBARGO_RAW_MAIL_BUCKET: 'bucket',
          EMBARGO_PROJECT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:k',
          EMBARGO_CONFIG_JSON: 'not the configuration',
        },
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^The SES receipt event is not in the expected shape/);
    });
  });

  test('logs JSON to a log group kept for a year', () => {
    expect(fn().LoggingConfig).toMatchObject({ LogFormat: 'JSON' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    expect(fn().LoggingConfig.LogGroup).toEqual({
      Ref: Object.keys(template.findResources('AWS::Logs::LogGroup'))[0],
    });
  });

  test('sends failed async invocations, after 2 retries, to a KMS-encrypted TLS-only queue', () => {
    const queueId = ref(stack.deadLetterQueue);
    expect(fn().DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ref(stack.intakeFunction) },
      MaximumRetryAttempts: 2,
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: stack.resolve(stack.key.keyArn),
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test('lets SES of this account invoke it only from the intake rule', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: stack.resolve(stack.intakeFunction.functionArn),
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('receipt-rule/intake$')])],
      }),
    });
  });
});

describe('intake Lambda permissions (least privilege)', () => {
  test('reads raw mail only under inbound/ and cannot write it; reads and writes case files only', () => {
    const s3Statements = rolePolicyStatements().filter((s) =>
      actionsOf(s).some((a) => a.startsWith('s3:')),
    );
    const bucketArn = stack.resolve(stack.rawMailBucket.bucketArn);
    expect(
      s3Statements.map((s) => ({ actions: actionsOf(s).sort(), resource: s.Resource })),
    ).toEqual([
      { actions: ['s3:GetObject'], resource: { 'Fn::Join': ['', [bucketArn, '/inbound/*']] } },
      {
        actions: ['s3:GetObject', 's3:PutObject'],
        resource: { 'Fn::Join': ['', [bucketArn, '/case-files/*']] },
      },
    ]);
  });

  test('may get, batch-get, put, update and query items of the table, and query only the gsi1 index', () => {
    const tableArn = stack.resolve(stack.table.tableArn);
    const dynamo = rolePolicyStatements().filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    const byResource = dynamo.map((s) => ({
      actions: actionsOf(s).sort(),
      resources: resourcesOf(s),
    }));
    expect(byResource).toEqual(
      expect.arrayContaining([
        {
          actions: [
            'dynamodb:BatchGetItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
          ],
          resources: [tableArn],
        },
        {
          actions: ['dynamodb:Query'],
          resources: [{ 'Fn::Join': ['', [tableArn, '/index/gsi1']] }],
        },
      ]),
    );
    expect(byResource).toHaveLength(2);
  });

  test('may decrypt and generate data keys with the stack key only', () => {
    const kms = rolePolicyStatements().filter((s) =>
      actionsOf(s).some((a) => a.startsWith('kms:')),
    );
    expect(kms.flatMap(actionsOf).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    for (const s of kms) expect(resourcesOf(s)).toEqual([stack.resolve(stack.key.keyArn)]);
  });

  test('may read the project key secret, and no other secret', () => {
    const secrets = rolePolicyStatements().filter((s) =>
      actionsOf(s).some((a) => a.startsWith('secretsmanager:')),
    );
    expect(secrets).toHaveLength(1);
    expect(actionsOf(secrets[0]!)).toEqual(['secretsmanager:GetSecretValue']);
    expect(resourcesOf(secrets[0]!)).toEqual([{ Ref: ref(stack.projectKeySecret) }]);
  });

  test('may send mail only as the identity of the security address domain', () => {
    const sesStatements = rolePolicyStatements().filter((s) =>
      actionsOf(s).some((a) => a.startsWith('ses:')),
    );
    expect(sesStatements).toHaveLength(1);
    expect(actionsOf(sesStatements[0]!).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    const [resource] = resourcesOf(sesStatements[0]!);
    expect(JSON.stringify(stack.resolve(resource))).toMatch(/:identity\/example\.org"/);
  });

  test('uses no AWS managed policy (no account-wide logs:* from AWSLambdaBasicExecutionRole)', () => {
    const roleId = ref(
      stack.intakeFunction.role as unknown as { node: { defaultChild?: unknown } },
    );
    expect(template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('no identity policy has a "*" resource, and no policy anywhere allows "*" on "*"', () => {
    const resources = template.toJSON().Resources as Resources;
    for (const [id, resource] of Object.entries(resources)) {
      const props = resource.Properties ?? {};
      const documents = [
        props.PolicyDocument,
        props.KeyPolicy,
        props.AssumeRolePolicyDocument,
        ...((props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
          (p) => p.PolicyDocument,
        ),
      ].filter(Boolean) as { Statement: Statement[] }[];
      for (const statement of documents.flatMap((d) => d.Statement)) {
        const context = `${id}: ${JSON.stringify(statement)}`;
        if (statement.Effect !== 'Allow') continue;
        const anyAction = actionsOf(statement).includes('*');
        const anyResource = resourcesOf(statement).includes('*');
        expect({ context, anyActionOnAnyResource: anyAction && anyResource }).toEqual({
          context,
          anyActionOnAnyResource: false,
        });
        if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::Role') {
          expect({ context, anyResource }).toEqual({ context, anyResource: false });
        }
      }
    }
  });
});

describe('project key secret', () => {
  const secret = () => template.toJSON().Resources[ref(stack.projectKeySecret)];

  test('is encrypted with the stack key and retained', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    expect(secret().Properties.KmsKeyId).toEqual(stack.resolve(stack.key.keyArn));
    expect(secret().DeletionPolicy).toBe('Retain');
    expect(secret().UpdateReplacePolicy).toBe('Retain');
  });

  test('starts with a generated placeholder, not a value written into the template', () => {
    expect(secret().Properties.GenerateSecretString).toEqual({});
    expect(secret().Properties.SecretString).toBeUndefined();
    expect(secret().Properties.Name).toBeUndefined();
  });

  test('says what it holds and how to set it', () => {
    expect(secret().Properties.Description).toMatch(/armored OpenPGP private key/);
    expect(secret().Properties.Description).toMatch(/security@example\.org/);
    expect(secret().Properties.Description).toMatch(/aws secretsmanager put-secret-value/);
    expect(secret().Properties.Description).toMatch(/docs\/deploy\.md/);
  });

  test('has no rotation schedule (an OpenPGP identity key is rotated by hand)', () => {
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });
});

describe('SES', () => {
  test('has a domain identity for the security address domain', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'example.org' });
  });

  test('has a named receipt rule set, for the activation command', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRuleSet', {
      RuleSetName: 'embargo-example',
    });
  });

  test('stores the message in S3 under inbound/, then invokes the intake Lambda asynchronously', () => {
    template.hasResourceProperties('AWS::SES::ReceiptRule', {
      RuleSetName: { Ref: ref(stack.ruleSet) },
      Rule: {
        Name: 'intake',
        Enabled: true,
        Recipients: ['security@example.org'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [
          {
            S3Action: {
              BucketName: { Ref: ref(stack.rawMailBucket) },
              ObjectKeyPrefix: 'inbound/',
            },
          },
          {
            LambdaAction: {
              FunctionArn: stack.resolve(stack.intakeFunction.functionArn),
              InvocationType: 'Event',
            },
          },
        ],
      },
    });
  });

  test('creates the rule only after the bucket policy and the invoke permission exist', () => {
    const rules = template.findResources('AWS::SES::ReceiptRule');
    const [rule] = Object.values(rules);
    const bucketPolicyId = stack.getLogicalId(
      stack.rawMailBucket.policy!.node.defaultChild as s3.CfnBucketPolicy,
    );
    const permissionId = Object.keys(template.findResources('AWS::Lambda::Permission'))[0];
    expect(rule!.DependsOn).toEqual(expect.arrayContaining([bucketPolicyId, permissionId]));
  });
});

describe('outputs', () => {
  test('name the table, bucket, rule set, function and secret, and say how to activate the rule set', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.TableName.Value).toEqual({ Ref: ref(stack.table) });
    expect(outputs.RawMailBucketName.Value).toEqual({ Ref: ref(stack.rawMailBucket) });
    expect(outputs.ReceiptRuleSetName.Value).toEqual({ Ref: ref(stack.ruleSet) });
    expect(outputs.IntakeFunctionName.Value).toEqual({ Ref: ref(stack.intakeFunction) });
    expect(outputs.ProjectKeySecretArn.Value).toEqual({ Ref: ref(stack.projectKeySecret) });
    expect(JSON.stringify(outputs.ActivateReceiptRuleSet.Value)).toContain(
      'aws ses set-active-receipt-rule-set --rule-set-name ',
    );
  });
});

describe('cdk-nag AwsSolutions', () => {
  test('finds nothing that is not acknowledged with a reason', () => {
    const nagApp = new App();
    const nagStack = new EmbargoStack(nagApp, 'Embargo-example', { config });
    const pack = new AwsSolutionsChecks(nagApp, { verbose: true });
    Validations.of(nagApp).addPlugins(pack);
    // Synthesis throws "Validation failed" on any unacknowledged finding.
    expect(() => nagApp.synth()).not.toThrow();
    const report = pack.validateScope(nagStack);
    expect(report.violations.map((v) => `${v.ruleName}: ${v.description}`)).toEqual([]);
  });

  test('is really applied (an unacknowledged finding is reported)', () => {
    const probeApp = new App();
    const probe = new Stack(probeApp, 'Probe');
    new s3.Bucket(probe, 'Bare');
    const report = new AwsSolutionsChecks(probeApp).validateScope(probe);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-S1');
  });
});

describe('synth-time guards', () => {
  test('refuses a configuration too long to hand to esbuild, and says how to shrink it', () => {
    const big: EmbargoConfig = {
      ...config,
      maintainers: [{ name: 'A', email: 'a@example.org', publicKeyArmored: 'x'.repeat(130_000) }],
    };
    expect(() => new EmbargoStack(new App(), 'Too-big', { config: big })).toThrow(
      /more than the 122880 it may take.*export-minimal/s,
    );
  });
});

describe('names', () => {
  test('stack names keep only characters CloudFormation allows', () => {
    expect(stackNameFor('example')).toBe('Embargo-example');
    expect(stackNameFor('my_project.js')).toBe('Embargo-my-project-js');
  });

  test('rule set names start and end with a letter or digit and fit 64 characters', () => {
    expect(ruleSetNameFor('example')).toBe('embargo-example');
    expect(ruleSetNameFor('lib.')).toBe('embargo-lib');
    expect(ruleSetNameFor('x'.repeat(100))).toHaveLength(64);
  });

  test('the identity domain is the lower-cased domain of the security address', () => {
    expect(domainOf('Security@Example.ORG')).toBe('example.org');
    expect(() => domainOf('not-an-address')).toThrow();
  });
});
