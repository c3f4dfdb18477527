import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import type { EmbargoFunction } from '../../infra/aws/functions/embargo-function';
import { EmbargoStack } from '../../infra/aws/embargo-stack';
import { UNREACHED_CREDENTIAL_PROVIDERS } from '../../infra/aws/functions/function-bundling';
import {
  configurationSetNameFor,
  domainOf,
  functionNameFor,
  ruleSetNameFor,
  scheduleGroupNameFor,
  stackNameFor,
} from '../../infra/aws/names';
import { bounceRecord, snsEvent } from '../support/ses-notifications';

/** An armored block the size of an RSA-4096 public key with a few signatures (not a real key). */
const rsaSizedKey = (seed: string) =>
  `-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${seed.repeat(1500)}\n-----END PGP PUBLIC KEY BLOCK-----\n`;

// With the maintainers' keys the configuration is well over Lambda's 4 KB environment limit,
// which is why it is bundled into the code instead.
const config: EmbargoConfig = {
  ...defaultConfigFile,
  maintainers: [
    { name: 'Alice', email: 'alice@example.org', publicKeyArmored: rsaSizedKey('QUJD') },
    { name: 'Bob', email: 'bob@example.org', publicKeyArmored: rsaSizedKey('REVG') },
  ],
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

/**
 * A stack whose functions are not bundled (the CDK CLI's own switch for stacks it does not
 * deploy), for tests that look at the template only: bundling takes seconds per function.
 */
function unbundledStack(context: Record<string, unknown> = {}): EmbargoStack {
  const unbundled = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return new EmbargoStack(unbundled, 'Embargo-example', { config });
}

// Bundling runs esbuild on each function, so a bundled stack takes a moment: build it once.
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

const roleRef = (role: iam.IRole) => ref(role as unknown as { node: { defaultChild?: unknown } });

/** The statements of the identity policies attached to a role (or the role of that id). */
function statementsOf(role: iam.IRole | string): Statement[] {
  const roleId = typeof role === 'string' ? role : roleRef(role);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

/** Every statement of every identity policy in the template, with the roles it is attached to. */
function allIdentityStatements(): { roles: unknown[]; statement: Statement }[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
    (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement.map((statement) => ({
      roles: p.Properties.Roles as unknown[],
      statement,
    })),
  );
}

/** The four functions, by the name the tests use. */
const functions = (): Record<
  'intake' | 'notices' | 'watch' | 'sendingEvents',
  EmbargoFunction
> => ({
  intake: stack.intake,
  notices: stack.notices,
  watch: stack.watch,
  sendingEvents: stack.sendingEvents,
});
const functionNames = ['intake', 'notices', 'watch', 'sendingEvents'] as const;

/** The notices function's ARN, as the template builds it from the function's fixed name. */
const noticesFunctionArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':lambda:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':function:embargo-example-notices',
    ],
  ],
};

/** The variables functions/aws-runtime.ts reads, taken from its zod schema. */
function runtimeContract(): string[] {
  const source = readFileSync(
    path.join(__dirname, '..', '..', 'functions', 'aws-runtime.ts'),
    'utf8',
  );
  const schema = /const environmentSchema = z\.object\(\{([\s\S]*?)\}\);/.exec(source);
  expect(schema).not.toBeNull();
  return [...schema![1]!.matchAll(/^\s*(EMBARGO_[A-Z_]+):/gm)].map((m) => m[1]!).sort();
}

/** The asset directory cdk.out holds for a function's code: asset.<hash>, the S3 key's stem. */
function bundleFileOf(fn: EmbargoFunction): string {
  const s3Key = template.toJSON().Resources[ref(fn.function)].Properties.Code.S3Key as string;
  expect(s3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
  return path.join(app.outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.js');
}

/**
 * Loads a bundle as Lambda would (which also shows that it loads at all: openpgp needs
 * import.meta.url, see embargo-function.ts) and invokes its handler with `event`, with the
 * environment contract filled with dummy values and every AWS endpoint pointed at a closed local
 * port. Prints the outcome: `accepted`, or the error's message and code.
 */
function runBundle(fn: EmbargoFunction, event: unknown): { stdout: string; stderr: string } {
  const script = `
    require(process.env.BUNDLE).handler(JSON.parse(process.env.EVENT)).then(
      (r) => console.log([r].flat()[0]?.kind === 'refused' ? [r].flat()[0].reason : 'accepted'),
      (err) => console.log(err.message, err.code ?? ''),
    );`;
  return spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      BUNDLE: bundleFileOf(fn),
      EVENT: JSON.stringify(event),
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      EMBARGO_TABLE_NAME: 'table',
      EMBARGO_RAW_MAIL_BUCKET: 'bucket',
      EMBARGO_PROJECT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:k',
      EMBARGO_SCHEDULE_GROUP: 'embargo-example',
      EMBARGO_NOTICES_FUNCTION_ARN:
        'arn:aws:lambda:eu-west-1:111111111111:function:embargo-example-notices',
      EMBARGO_SCHEDULER_ROLE_ARN: 'arn:aws:iam::111111111111:role/scheduler',
      EMBARGO_SCHEDULER_DLQ_ARN: 'arn:aws:sqs:eu-west-1:111111111111:scheduler-dlq',
      EMBARGO_SES_CONFIGURATION_SET: 'embargo-example',
      EMBARGO_CONFIG_JSON: 'not the configuration',
    },
  });
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
  test('has rotation enabled and is retained with the data it protects (deleted if the first deploy fails)', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
  });

  test('names no service principal for SES: SES uses the key through its own role (first-deploy.test.ts)', () => {
    const dataKey = template.toJSON().Resources[ref(stack.key)];
    expect(JSON.stringify(dataKey.Properties.KeyPolicy)).not.toContain('ses.amazonaws.com');
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
    expect(template.toJSON().Resources[ref(stack.rawMailBucket)].DeletionPolicy).toBe(
      'RetainExceptOnCreate',
    );
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

  test('allows no one to put objects: SES writes with its own role (first-deploy.test.ts)', () => {
    expect(rawMailBucketPolicyStatements().filter((s) => s.Effect === 'Allow')).toEqual([]);
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
    expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
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

  test('deletes the items that say when they expire (the flood counters) by its TTL attribute', () => {
    expect(table().Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
  });

  test('has deletion protection and is retained', () => {
    expect(table().Properties.DeletionProtectionEnabled).toBe(true);
    expect(table().DeletionPolicy).toBe('Retain');
  });
});

describe('Lambda functions', () => {
  const fnProps = (name: (typeof functionNames)[number]) =>
    template.toJSON().Resources[ref(functions()[name].function)].Properties;

  test.each([
    ['intake', 1024, 60],
    ['notices', 512, 300],
    ['watch', 512, 300],
    ['sendingEvents', 512, 60],
  ] as const)(
    '%s runs Node.js 22 on arm64 with %i MB, a %i s timeout and, by default, no reserved concurrency',
    (name, memory, timeout) => {
      expect(fnProps(name)).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: memory,
        Timeout: timeout,
      });
      expect(fnProps(name)).not.toHaveProperty('ReservedConcurrentExecutions');
    },
  );

  describe.each(functionNames)('%s', (name) => {
    const fn = () => functions()[name];
    const vars = () => fnProps(name).Environment.Variables;

    test('gets the whole environment contract of functions/aws-runtime.ts', () => {
      expect(Object.keys(vars()).sort()).toEqual([...runtimeContract(), 'NODE_OPTIONS'].sort());
      expect(runtimeContract()).toHaveLength(10);
      expect(vars().EMBARGO_TABLE_NAME).toEqual({ Ref: ref(stack.table) });
      expect(vars().EMBARGO_RAW_MAIL_BUCKET).toEqual({ Ref: ref(stack.rawMailBucket) });
      expect(vars().EMBARGO_RAW_MAIL_PREFIX).toBe('inbound/');
      expect(vars().EMBARGO_CASE_FILES_PREFIX).toBe('case-files/');
      expect(vars().EMBARGO_PROJECT_KEY_SECRET_ARN).toEqual({ Ref: ref(stack.projectKeySecret) });
      expect(vars().EMBARGO_SCHEDULE_GROUP).toBe('embargo-example');
      expect(vars().EMBARGO_NOTICES_FUNCTION_ARN).toEqual(noticesFunctionArn);
      expect(vars().EMBARGO_SCHEDULER_ROLE_ARN).toEqual({
        'Fn::GetAtt': [roleRef(stack.scheduling.noticeRole), 'Arn'],
      });
      expect(vars().EMBARGO_SCHEDULER_DLQ_ARN).toEqual({
        'Fn::GetAtt': [ref(stack.scheduling.deadLetterQueue), 'Arn'],
      });
      expect(vars().EMBARGO_SES_CONFIGURATION_SET).toEqual({
        Ref: ref(stack.sending.configurationSet),
      });
    });

    test('does not carry the configuration in its environment (it would exceed 4 KB)', () => {
      expect(JSON.stringify(config).length).toBeGreaterThan(4096);
      expect(vars()).not.toHaveProperty('EMBARGO_CONFIG_JSON');
      expect(JSON.stringify(fnProps(name).Environment)).not.toContain('security@example.org');
    });

    test('logs JSON to a log group of its own, kept for a year and retained', () => {
      expect(fnProps(name).LoggingConfig).toEqual({
        LogFormat: 'JSON',
        LogGroup: { Ref: ref(fn().logGroup) },
      });
      const logGroup = template.toJSON().Resources[ref(fn().logGroup)];
      expect(logGroup.Properties.RetentionInDays).toBe(365);
      expect(logGroup.DeletionPolicy).toBe('RetainExceptOnCreate');
    });

    test('has the configuration built into a strict-mode bundle', () => {
      expect(existsSync(bundleFileOf(fn()))).toBe(true);
      const code = readFileSync(bundleFileOf(fn()), 'utf8');
      expect(code).toMatch(/^'use strict';/);
      expect(code).toContain('security@example.org');
      expect(code).toContain('announce@example.org');
      expect(code).toContain('bob@example.org');
    });

    test('bundles only the packages it uses, with a source map that names them', () => {
      const map = JSON.parse(readFileSync(`${bundleFileOf(fn())}.map`, 'utf8')) as {
        sources: string[];
        sourcesContent?: unknown;
      };
      // Stack traces need the names and lines only; the sources would be read at every start.
      expect(map.sourcesContent).toBeUndefined();
      const packages = new Set(
        map.sources.map((s) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s)?.[1] ?? 'embargo'),
      );
      // The runtime schemas use zod/mini; full zod (classic) is for the config file at synth.
      expect(map.sources.filter((s) => /node_modules\/zod\/v4\/classic\//.test(s))).toEqual([]);
      expect(packages).toContain('openpgp');
      expect(packages).toContain('@aws-sdk/client-sesv2');
      const absent: Record<typeof name, string[]> = {
        intake: [],
        notices: ['mailparser', 'libmime', 'iconv-lite', '@aws-sdk/client-scheduler'],
        watch: [
          'mailparser',
          'libmime',
          'iconv-lite',
          '@aws-sdk/client-s3',
          '@aws-sdk/client-scheduler',
        ],
        sendingEvents: [
          'mailparser',
          'libmime',
          'iconv-lite',
          '@aws-sdk/client-s3',
          '@aws-sdk/client-scheduler',
        ],
      };
      expect(absent[name].filter((p) => packages.has(p))).toEqual([]);
      if (name === 'intake') expect(packages).toContain('mailparser');
      // The credential providers after the environment's are never reached in Lambda.
      expect(UNREACHED_CREDENTIAL_PROVIDERS.filter((p) => packages.has(p))).toEqual([]);
      expect(packages).toContain('@aws-sdk/credential-provider-env');
      // The SDK's ES builds, which esbuild can tree-shake, not its one-file CommonJS builds.
      expect(
        map.sources.filter((s) => /node_modules\/@aws-sdk\/client-[^/]+\/dist-cjs\//.test(s)),
      ).toEqual([]);
      // One build of libmime, not the ES and the CommonJS one side by side.
      const libmimeBuilds = new Set(
        map.sources.flatMap((s) => /node_modules\/libmime\/dist\/([a-z]+)\//.exec(s)?.[1] ?? []),
      );
      expect(libmimeBuilds.size).toBe(name === 'intake' ? 1 : 0);
    });

    test('uses no AWS managed policy (no account-wide logs:* from AWSLambdaBasicExecutionRole)', () => {
      const role = template.toJSON().Resources[roleRef(fn().role)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ]);
    });

    test('may write its own logs only', () => {
      const logs = statementsOf(fn().role).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('logs:')),
      );
      expect(logs.map((s) => [actionsOf(s).sort(), s.Resource])).toEqual([
        [
          ['logs:CreateLogStream', 'logs:PutLogEvents'],
          { 'Fn::GetAtt': [ref(fn().logGroup), 'Arn'] },
        ],
      ]);
    });
  });
});

describe('case data permissions (least privilege)', () => {
  const s3Of = (role: iam.IRole) =>
    statementsOf(role)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')))
      .map((s) => ({ actions: actionsOf(s).sort(), resource: s.Resource }));
  const objects = (prefix: string) => ({
    'Fn::Join': ['', [stack.resolve(stack.rawMailBucket.bucketArn), `/${prefix}*`]],
  });

  test('intake reads raw mail only under inbound/ and cannot write it; reads and writes case files only', () => {
    expect(s3Of(stack.intake.role)).toEqual([
      { actions: ['s3:GetObject'], resource: objects('inbound/') },
      // So that S3 answers a missing raw message with 404 NoSuchKey, not 403 (GetObject).
      { actions: ['s3:ListBucket'], resource: stack.resolve(stack.rawMailBucket.bucketArn) },
      { actions: ['s3:GetObject', 's3:PutObject'], resource: objects('case-files/') },
    ]);
  });

  test.each(['notices', 'watch', 'sendingEvents'] as const)(
    '%s reads and writes case files only, and no raw mail',
    (name) => {
      expect(s3Of(functions()[name].role)).toEqual([
        { actions: ['s3:GetObject', 's3:PutObject'], resource: objects('case-files/') },
      ]);
    },
  );

  describe.each(functionNames)('%s', (name) => {
    const statements = (prefix: string) =>
      statementsOf(functions()[name].role).filter((s) =>
        actionsOf(s).some((a) => a.startsWith(prefix)),
      );

    test('may get, batch-get, put, update and query items of the table, and query only the gsi1 index', () => {
      const tableArn = stack.resolve(stack.table.tableArn);
      const byResource = statements('dynamodb:').map((s) => ({
        actions: actionsOf(s).sort(),
        resources: resourcesOf(s),
      }));
      expect(byResource).toEqual([
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
      ]);
    });

    test('may decrypt and generate data keys with the stack key only', () => {
      const kms = statements('kms:');
      expect(kms.flatMap(actionsOf).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      for (const s of kms) expect(resourcesOf(s)).toEqual([stack.resolve(stack.key.keyArn)]);
    });

    test('may read the project key secret, and no other secret', () => {
      const secrets = statements('secretsmanager:');
      expect(secrets).toHaveLength(1);
      expect(actionsOf(secrets[0]!)).toEqual(['secretsmanager:GetSecretValue']);
      expect(resourcesOf(secrets[0]!)).toEqual([{ Ref: ref(stack.projectKeySecret) }]);
    });

    test("may read the account's send quota, which has no resource to name", () => {
      const quota = statements('ses:').filter((s) => actionsOf(s).includes('ses:GetAccount'));
      expect(quota).toHaveLength(1);
      expect(actionsOf(quota[0]!)).toEqual(['ses:GetAccount']);
      expect(resourcesOf(quota[0]!)).toEqual(['*']);
    });

    test('may send mail only as the identity of the security address domain, with the configuration set', () => {
      const sesStatements = statements('ses:').filter(
        (s) => !actionsOf(s).includes('ses:GetAccount'),
      );
      expect(sesStatements).toHaveLength(1);
      expect(actionsOf(sesStatements[0]!).sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
      const resources = resourcesOf(sesStatements[0]!).map((r) => JSON.stringify(r));
      expect(resources).toHaveLength(2);
      expect(resources.filter((r) => /:identity\/example\.org"/.test(r))).toHaveLength(1);
      expect(
        resources.filter((r) =>
          r.includes(`":configuration-set/",{"Ref":"${ref(stack.sending.configurationSet)}"}`),
        ),
      ).toHaveLength(1);
    });
  });
});

/**
 * The functions whose events are worth keeping when they fail (a delivery, a notice, a bounce):
 * the same contract for each, so one block states it.
 */
describe.each([
  ['intake', 'The SES receipt event'],
  ['notices', 'The notice schedule event'],
  ['sendingEvents', 'The SES notification event'],
] as const)('%s Lambda, when an invocation fails', (name, eventName) => {
  const keeping = ['intake', 'notices', 'sendingEvents'] as const;
  const fn = () => functions()[name];
  const props = () => template.toJSON().Resources[ref(fn().function)].Properties;

  test('retries twice, then keeps the event in a KMS-encrypted, TLS-only queue of its own', () => {
    const queueId = ref(fn().deadLetterQueue!);
    const others = keeping
      .filter((n) => n !== name)
      .map((n) => ref(functions()[n].deadLetterQueue!));
    expect(others).not.toContain(queueId);
    expect(props().DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ref(fn().function) },
      MaximumRetryAttempts: 2,
    });
    const queue = template.toJSON().Resources[queueId].Properties;
    expect(queue.KmsMasterKeyId).toEqual(stack.resolve(stack.key.keyArn));
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

  test('bundle loads and refuses an event of another kind on the first attempt, naming the kind it takes', () => {
    const run = runBundle(fn(), name === 'notices' ? {} : { Records: [] });
    expect(run.stderr).toBe('');
    // The refusal's log line (which the InputRefused alarm counts), then the outcome's reason.
    const [logged, refused] = run.stdout.trim().split('\n');
    expect(JSON.parse(logged!)).toMatchObject({
      event: 'function.input-refused',
      code: 'EVENT_INVALID',
    });
    expect(refused).toMatch(new RegExp(`^${eventName} is not in the expected shape`));
  });
});

describe('intake Lambda', () => {
  test('runs on the built-in configuration, not on an EMBARGO_CONFIG_JSON variable', () => {
    // The services are built first (from the environment and the configuration), then the empty
    // event is refused, so an event error means the configuration parsed. A configuration read
    // from the environment would fail on the invalid value set there instead.
    const run = runBundle(stack.intake, { Records: [] });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(
      /^The SES receipt event is not in the expected shape/,
    );
  });

  test('loads without S/MIME parsing or the CJK charset tables, which it reads from beside the bundle when a message needs them', () => {
    const dir = path.dirname(bundleFileOf(stack.intake));
    const code = readFileSync(path.join(dir, 'index.js'), 'utf8');
    // Everything the bundle requires by name or path is a Node built-in, a credential provider a
    // Lambda never reaches, or there beside it: a missing table would fail that charset's mail.
    const required = [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))];
    const missing = required.filter(
      (r) =>
        !r.startsWith('node:') &&
        !builtinModules.includes(r) &&
        !UNREACHED_CREDENTIAL_PROVIDERS.includes(r) &&
        // The SDK's optional CRT signer, tried only for SigV4a, which Embargo never signs with.
        r !== '@aws-sdk/signature-v4-crt' &&
        !existsSync(path.join(dir, r.startsWith('./') ? r : path.join('node_modules', r))),
    );
    expect(missing).toEqual([]);
    expect(required).toContain('./tables/shiftjis.json');
    // The bundle imports pkijs the way this script does: import() from the bundle's folder.
    expect(code).toContain('import("pkijs")');
    const der = readFileSync(
      path.join(__dirname, '..', 'fixtures', 'clients', 'smime-opaque-signed.eml'),
      'latin1',
    )
      .split(/\r?\n\r?\n/)[1]!
      .replace(/\s+/g, '');
    const script = `
      require('./index.js');
      const loaded = Object.keys(require.cache).filter((f) => /node_modules|tables/.test(f));
      import('pkijs').then((pkijs) => {
        const info = pkijs.ContentInfo.fromBER(Buffer.from(process.env.DER, 'base64'));
        console.log(JSON.stringify({ loaded, type: info.contentType }));
      });`;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        DER: der,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { loaded: string[]; type: string };
    // At start: only the two tables libmime reads as it loads (for its GBK decoder).
    expect(result.loaded.map((f) => path.relative(dir, f)).sort()).toEqual([
      path.join('tables', 'cp936.json'),
      path.join('tables', 'gbk-added.json'),
    ]);
    // The S/MIME parser beside the bundle reads a real client's signed message.
    expect(result.type).toBe('1.2.840.113549.1.7.2');
  });

  test('lets SES of this account invoke it only from the intake rule', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: stack.resolve(stack.intake.function.functionArn),
      Principal: 'ses.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('receipt-rule/intake$')])],
      }),
    });
  });
});

describe('notices Lambda', () => {
  const fn = () => template.toJSON().Resources[ref(stack.notices.function)].Properties;

  test('has the fixed name its ARN in the environment is built from', () => {
    expect(fn().FunctionName).toBe('embargo-example-notices');
    expect(fn().Environment.Variables.EMBARGO_NOTICES_FUNCTION_ARN).toEqual(noticesFunctionArn);
  });
});

describe('SES sending events', () => {
  const configurationSetId = () => ref(stack.sending.configurationSet);
  const topicId = () => ref(stack.sending.topic);
  const topicPolicyStatements = (): Statement[] => {
    const policies = Object.values(
      template.findResources('AWS::SNS::TopicPolicy', {
        Properties: { Topics: [{ Ref: topicId() }] },
      }),
    );
    expect(policies).toHaveLength(1);
    return (policies[0]!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
  };

  test('has the configuration set embargo-<project>, the default of the domain identity', () => {
    expect(template.toJSON().Resources[configurationSetId()].Properties).toEqual({
      Name: 'embargo-example',
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.org',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSetId() } },
      // Complaints come by the event destination; none are mailed to the security address.
      FeedbackAttributes: { EmailForwardingEnabled: false },
    });
  });

  test('publishes bounces, complaints, rejections and delays (and nothing else) to the topic', () => {
    const destinations = Object.values(
      template.findResources('AWS::SES::ConfigurationSetEventDestination'),
    );
    expect(destinations).toHaveLength(1);
    expect(destinations[0]!.Properties).toEqual({
      ConfigurationSetName: { Ref: configurationSetId() },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'reject', 'deliveryDelay'],
        SnsDestination: { TopicARN: { Ref: topicId() } },
      },
    });
  });

  test('the topic is encrypted with a rotated key of its own and accepts only TLS requests', () => {
    const topic = template.toJSON().Resources[topicId()].Properties;
    const keyArn = stack.resolve(stack.sending.key.keyArn);
    expect(topic.KmsMasterKeyId).toEqual(keyArn);
    expect(keyArn).not.toEqual(stack.resolve(stack.key.keyArn));
    expect(keyArn).not.toEqual(stack.resolve(stack.alarms.key.keyArn));
    expect(template.toJSON().Resources[ref(stack.sending.key)].Properties.EnableKeyRotation).toBe(
      true,
    );
    expect(topicPolicyStatements()).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  test('only SES of this account, for this configuration set, may publish to the topic', () => {
    const allows = topicPolicyStatements().filter((st) => st.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'ses.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topicId() },
    });
    const equals = allows[0]!.Condition?.StringEquals ?? {};
    expect(equals['AWS:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(equals['AWS:SourceArn'])).toContain(
      `":configuration-set/",{"Ref":"${configurationSetId()}"}`,
    );
    // SES checks that it may publish when the destination is created.
    const [destination] = Object.values(
      template.findResources('AWS::SES::ConfigurationSetEventDestination'),
    );
    const policyId = Object.keys(
      template.findResources('AWS::SNS::TopicPolicy', {
        Properties: { Topics: [{ Ref: topicId() }] },
      }),
    )[0];
    expect(destination!.DependsOn).toEqual(expect.arrayContaining([policyId]));
  });

  test("SES of this account may use the topic's key, and no other service", () => {
    const key = template.toJSON().Resources[ref(stack.sending.key)].Properties;
    const services = (key.KeyPolicy.Statement as Statement[]).filter(
      (st) => (st.Principal as { Service?: string } | undefined)?.Service,
    );
    expect(services).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
  });

  test('the topic delivers to the sending-events function only, which SNS may invoke from this topic only', () => {
    const subscriptions = Object.values(
      template.findResources('AWS::SNS::Subscription', {
        Properties: { TopicArn: { Ref: topicId() } },
      }),
    );
    expect(subscriptions.map((sub) => sub.Properties)).toEqual([
      {
        Protocol: 'lambda',
        Endpoint: stack.resolve(stack.sendingEvents.function.functionArn),
        TopicArn: { Ref: topicId() },
      },
    ]);
    const permissions = Object.values(
      template.findResources('AWS::Lambda::Permission', {
        Properties: { Principal: 'sns.amazonaws.com' },
      }),
    );
    expect(permissions.map((p) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: stack.resolve(stack.sendingEvents.function.functionArn),
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: topicId() },
      },
    ]);
  });
});

describe('sending-events Lambda', () => {
  test('may not manage schedules, pass roles or read raw mail', () => {
    const actions = statementsOf(stack.sendingEvents.role).flatMap(actionsOf);
    expect(actions.filter((a) => /^(scheduler|iam):/.test(a))).toEqual([]);
    expect(JSON.stringify(statementsOf(stack.sendingEvents.role))).not.toContain('/inbound/');
  });

  test('bundle accepts an SNS-wrapped SES bounce and looks its Message-ID up in DynamoDB', () => {
    // Every AWS endpoint is a closed local port: a refused connection means the event parsed
    // and the handler went to the thread index.
    const event = snsEvent(
      bounceRecord({ messageIdHeader: '<abc@example.org>', recipient: 'alice@example.net' }),
    );
    const run = runBundle(stack.sendingEvents, event);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/ECONNREFUSED/);
    expect(run.stdout).toContain('127.0.0.1:9');
  });
});

describe('acknowledgment watch Lambda', () => {
  test('is not retried and keeps no dead letters: the next run comes 15 minutes later', () => {
    const fn = template.toJSON().Resources[ref(stack.watch.function)].Properties;
    expect(fn.DeadLetterConfig).toBeUndefined();
    expect(stack.watch.deadLetterQueue).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ref(stack.watch.function) },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 900,
    });
  });

  test('bundle loads, builds its services and goes to DynamoDB for the cases', () => {
    // Every AWS endpoint is a closed local port: a refused connection means the environment and
    // the configuration were accepted and the watch started listing cases.
    const run = runBundle(stack.watch, {});
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/ECONNREFUSED/);
    expect(run.stdout).toContain('127.0.0.1:9');
  });
});

describe('EventBridge Scheduler', () => {
  const noticeRoleArn = () => ({
    'Fn::GetAtt': [roleRef(stack.scheduling.noticeRole), 'Arn'],
  });
  const scheduleArns = () => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':scheduler:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ':schedule/embargo-example/*',
      ],
    ],
  });
  const watchSchedule = () =>
    template.toJSON().Resources[ref(stack.watchSchedule)] as {
      Properties: { Target: { RoleArn: { 'Fn::GetAtt': [string, string] } } } & Record<
        string,
        unknown
      >;
    };

  test('has the schedule group embargo-<project>, deleted with the stack', () => {
    const groups = template.findResources('AWS::Scheduler::ScheduleGroup');
    expect(Object.values(groups)).toEqual([
      expect.objectContaining({
        Properties: { Name: 'embargo-example' },
        DeletionPolicy: 'Delete',
      }),
    ]);
  });

  test('runs the watch every 15 minutes in the group, with retries and the dead-letter queue', () => {
    expect(watchSchedule().Properties).toMatchObject({
      Name: 'ack-watch',
      GroupName: 'embargo-example',
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [ref(stack.watch.function), 'Arn'] },
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [ref(stack.scheduling.deadLetterQueue), 'Arn'] },
        },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
      },
    });
  });

  test('keeps undeliverable invocations in a KMS-encrypted, TLS-only queue for 14 days', () => {
    const queueId = ref(stack.scheduling.deadLetterQueue);
    expect(template.toJSON().Resources[queueId].Properties).toMatchObject({
      KmsMasterKeyId: stack.resolve(stack.key.keyArn),
      MessageRetentionPeriod: 14 * 24 * 3600,
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

  const watchScheduleRoleId = () => watchSchedule().Properties.Target.RoleArn['Fn::GetAtt'][0];

  describe.each([
    ['notice schedules', () => roleRef(stack.scheduling.noticeRole), () => noticesFunctionArn],
    [
      'the watch schedule',
      () => watchScheduleRoleId(),
      () => stack.resolve(stack.watch.function.functionArn),
    ],
  ] as const)('the role of %s', (_label, roleId, targetArn) => {
    test('can be assumed only by EventBridge Scheduler, for schedules of the group in this account', () => {
      const role = template.toJSON().Resources[roleId()].Properties;
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': { 'Fn::GetAtt': [ref(stack.scheduling.group), 'Arn'] },
            },
          },
        },
      ]);
      expect(role.ManagedPolicyArns).toBeUndefined();
    });

    test('may invoke its one function, and send to the dead-letter queue with the key', () => {
      expect(
        statementsOf(roleId()).map((s) => ({
          actions: actionsOf(s).sort(),
          resources: resourcesOf(s),
        })),
      ).toEqual([
        { actions: ['lambda:InvokeFunction'], resources: [targetArn()] },
        {
          actions: ['sqs:SendMessage'],
          resources: [{ 'Fn::GetAtt': [ref(stack.scheduling.deadLetterQueue), 'Arn'] }],
        },
        {
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [stack.resolve(stack.key.keyArn)],
        },
      ]);
    });
  });

  test('the notice role and the watch schedule role are different roles', () => {
    expect(watchScheduleRoleId()).not.toBe(roleRef(stack.scheduling.noticeRole));
  });

  test.each(['intake'] as const)(
    '%s may create, update and delete schedules in the group only, and pass only the notice role to the scheduler',
    (name) => {
      const statements = statementsOf(functions()[name].role);
      const scheduling = statements.filter((s) =>
        actionsOf(s).some((a) => a.startsWith('scheduler:')),
      );
      expect(
        scheduling.map((s) => ({ actions: actionsOf(s).sort(), resources: resourcesOf(s) })),
      ).toEqual([
        {
          actions: [
            'scheduler:CreateSchedule',
            'scheduler:DeleteSchedule',
            'scheduler:UpdateSchedule',
          ],
          resources: [scheduleArns()],
        },
      ]);
      const passRole = statements.filter((s) => actionsOf(s).includes('iam:PassRole'));
      expect(passRole).toEqual([
        expect.objectContaining({
          Action: 'iam:PassRole',
          Resource: noticeRoleArn(),
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      ]);
    },
  );

  test('no other role may manage schedules or pass a role', () => {
    const allowed = [roleRef(stack.intake.role)];
    for (const { roles, statement } of allIdentityStatements()) {
      const actions = actionsOf(statement);
      if (actions.some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole')) {
        expect(roles).toHaveLength(1);
        expect(allowed).toContain((roles[0] as { Ref: string }).Ref);
      }
    }
    for (const role of [stack.watch.role, stack.notices.role]) {
      expect(
        statementsOf(role)
          .flatMap(actionsOf)
          .filter((a) => /^(scheduler|iam):/.test(a)),
      ).toEqual([]);
    }
  });
});

describe('IAM', () => {
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
        // ses:GetAccount (the send quota sending is paced to) names no resource: IAM allows it
        // only with "*" (Service Authorization Reference, Amazon SES v2: no resource types).
        const resourceless = actionsOf(statement).every((a) => a === 'ses:GetAccount');
        if (
          (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::Role') &&
          !resourceless
        ) {
          expect({ context, anyResource }).toEqual({ context, anyResource: false });
        }
      }
    }
  });
});

describe('alarms', () => {
  const topicRef = () => ({ Ref: ref(stack.alarms.topic) });
  const alarms = () =>
    Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties as Record<string, unknown>,
    );
  /** The one alarm whose properties include these (compared as JSON). */
  const alarmOn = (metric: Record<string, unknown>) => {
    const found = alarms().filter((alarm) =>
      Object.entries(metric).every(
        ([key, value]) => JSON.stringify(alarm[key]) === JSON.stringify(value),
      ),
    );
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  test('go to an SNS topic encrypted with a rotated key of its own and published to over TLS only', () => {
    const topic = template.toJSON().Resources[ref(stack.alarms.topic)].Properties;
    expect(topic.KmsMasterKeyId).toEqual(stack.resolve(stack.alarms.key.keyArn));
    expect(topic.KmsMasterKeyId).not.toEqual(stack.resolve(stack.key.keyArn));
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: Match.stringLikeRegexp('alarm topic'),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef()],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  test("let only this stack's CloudWatch alarms publish to the topic and use its key", () => {
    const alarmArns = Match.objectLike({
      'Fn::Join': ['', Match.arrayWith([':alarm:Embargo-example-*'])],
    });
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': alarmArns },
    };
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topicRef()],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: fromOwnAlarms,
          }),
        ]),
      },
    });
    const key = template.toJSON().Resources[ref(stack.alarms.key)].Properties;
    expect(key.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    for (const a of alarms()) expect(a.AlarmName).toMatch(/^Embargo-example-/);
  });

  test('every alarm notifies the topic, and none goes off for lack of data', () => {
    expect(alarms().length).toBeGreaterThanOrEqual(10);
    for (const a of alarms()) {
      expect(a.AlarmActions).toEqual([topicRef()]);
      expect(a.TreatMissingData).toBe('notBreaching');
    }
  });

  test.each([
    ['intake', () => stack.intake.deadLetterQueue!],
    ['notices', () => stack.notices.deadLetterQueue!],
    ['sending-events', () => stack.sendingEvents.deadLetterQueue!],
    ['scheduler', () => stack.scheduling.deadLetterQueue],
  ] as const)('alarm when the %s dead-letter queue holds a message', (_name, queue) => {
    const alarm = alarmOn({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ref(queue()), 'QueueName'] } }],
    });
    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
    });
  });

  test.each(functionNames)('alarm when the %s function fails', (name) => {
    const alarm = alarmOn({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: ref(functions()[name].function) } }],
    });
    expect(alarm).toMatchObject({
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  test('alarm when the SES bounce rate is above 5 %', () => {
    const alarm = alarmOn({ Namespace: 'AWS/SES', MetricName: 'Reputation.BounceRate' });
    expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0.05 });
  });

  test.each([
    ['watch.ack-failed', 'AckFailed'],
    ['watch.escalated', 'Escalated'],
    ['watch.case-failed', 'WatchCaseFailed'],
  ])(
    'count %s lines of the watch log (bare or wrapped in "message") and alarm on one',
    (event, metricName) => {
      const filters = Object.values(
        template.findResources('AWS::Logs::MetricFilter', {
          Properties: { MetricTransformations: [Match.objectLike({ MetricName: metricName })] },
        }),
      );
      expect(filters).toHaveLength(1);
      expect(filters[0]!.Properties).toEqual({
        LogGroupName: { Ref: ref(stack.watch.logGroup) },
        FilterPattern: `{ ($.event = "${event}") || ($.message.event = "${event}") }`,
        MetricTransformations: [
          { MetricName: metricName, MetricNamespace: 'Embargo/example', MetricValue: '1' },
        ],
      });
      const alarm = alarmOn({ Namespace: 'Embargo/example', MetricName: metricName });
      expect(alarm).toMatchObject({
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
      });
    },
  );

  /** The subscriptions of the alarm topic (the sending-events topic has its own). */
  const alarmSubscriptions = (t: Template, s: EmbargoStack) =>
    Object.values(
      t.findResources('AWS::SNS::Subscription', {
        Properties: {
          TopicArn: { Ref: s.getLogicalId(s.alarms.topic.node.defaultChild as s3.CfnBucket) },
        },
      }),
    ).map((sub) => sub.Properties);

  test('the topic has no subscriber unless an alarm email is given', () => {
    expect(alarmSubscriptions(template, stack)).toEqual([]);
  });

  test('-c alarmEmail=… subscribes that address to the topic', () => {
    const emailStack = unbundledStack({ alarmEmail: 'ops@example.org' });
    expect(alarmSubscriptions(Template.fromStack(emailStack), emailStack)).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.org' }),
    ]);
  });

  test('refuses an alarmEmail that is not an address', () => {
    expect(() => unbundledStack({ alarmEmail: 'not an address' })).toThrow(/alarmEmail/);
  });
});

describe('raw mail retention', () => {
  const rawMailRules = (s: EmbargoStack) =>
    Template.fromStack(s).toJSON().Resources[
      s.getLogicalId(s.rawMailBucket.node.defaultChild as s3.CfnBucket)
    ].Properties.LifecycleConfiguration;

  test('keeps raw mail unless a retention is configured', () => {
    expect(rawMailRules(unbundledStack())).toBeUndefined();
  });

  test('-c rawMailRetentionDays=N expires raw mail, the attachments kept from it, and their old versions after N days', () => {
    const expiring = (Prefix: string) =>
      expect.objectContaining({
        Prefix,
        ExpirationInDays: 730,
        NoncurrentVersionExpiration: { NoncurrentDays: 730 },
        Status: 'Enabled',
      });
    expect(rawMailRules(unbundledStack({ rawMailRetentionDays: '730' }))).toEqual({
      Rules: [expiring('inbound/'), expiring('case-files/attachments/')],
    });
  });

  test('refuses a retention that is not a whole number of at least 30 days', () => {
    expect(() => unbundledStack({ rawMailRetentionDays: '7' })).toThrow(/rawMailRetentionDays/);
    expect(() => unbundledStack({ rawMailRetentionDays: 'forever' })).toThrow(
      /rawMailRetentionDays/,
    );
  });
});

describe('template', () => {
  test('has no dependency cycle, although every function gets the notices ARN (its own included)', () => {
    // Template.fromStack refuses a template whose resources depend on each other in a cycle
    // ("Template is undeployable"), which a reference to the notices function in its own
    // environment would make.
    expect(() => Template.fromStack(unbundledStack())).not.toThrow();
  });
});

describe('project key secret', () => {
  const secret = () => template.toJSON().Resources[ref(stack.projectKeySecret)];

  test('is encrypted with the stack key and retained', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    expect(secret().Properties.KmsKeyId).toEqual(stack.resolve(stack.key.keyArn));
    expect(secret().DeletionPolicy).toBe('RetainExceptOnCreate');
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
              IamRoleArn: Match.anyValue(),
            },
          },
          {
            LambdaAction: {
              FunctionArn: stack.resolve(stack.intake.function.functionArn),
              InvocationType: 'Event',
            },
          },
        ],
      },
    });
  });

  test('creates the rule only after the invoke permission exists', () => {
    const rules = template.findResources('AWS::SES::ReceiptRule');
    const [rule] = Object.values(rules);
    const permissions = template.findResources('AWS::Lambda::Permission', {
      Properties: { Principal: 'ses.amazonaws.com' },
    });
    expect(Object.keys(permissions)).toHaveLength(1);
    const [permissionId] = Object.keys(permissions);
    expect(rule!.DependsOn).toEqual(expect.arrayContaining([permissionId]));
  });
});

describe('outputs', () => {
  test('name the table, bucket, rule set, functions, queues, schedule group, topic and secret, and say how to activate the rule set', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.TableName.Value).toEqual({ Ref: ref(stack.table) });
    expect(outputs.RawMailBucketName.Value).toEqual({ Ref: ref(stack.rawMailBucket) });
    expect(outputs.ReceiptRuleSetName.Value).toEqual({ Ref: ref(stack.ruleSet) });
    expect(outputs.IntakeFunctionName.Value).toEqual({ Ref: ref(stack.intake.function) });
    expect(outputs.NoticesFunctionName.Value).toEqual({ Ref: ref(stack.notices.function) });
    expect(outputs.AckWatchFunctionName.Value).toEqual({ Ref: ref(stack.watch.function) });
    expect(outputs.IntakeLogGroupName.Value).toEqual({ Ref: ref(stack.intake.logGroup) });
    expect(outputs.NoticesLogGroupName.Value).toEqual({ Ref: ref(stack.notices.logGroup) });
    expect(outputs.AckWatchLogGroupName.Value).toEqual({ Ref: ref(stack.watch.logGroup) });
    expect(outputs.SendingEventsFunctionName.Value).toEqual({
      Ref: ref(stack.sendingEvents.function),
    });
    expect(outputs.SendingEventsLogGroupName.Value).toEqual({
      Ref: ref(stack.sendingEvents.logGroup),
    });
    expect(outputs.SendingEventsDeadLetterQueueUrl.Value).toEqual({
      Ref: ref(stack.sendingEvents.deadLetterQueue!),
    });
    expect(outputs.ConfigurationSetName.Value).toEqual({
      Ref: ref(stack.sending.configurationSet),
    });
    expect(outputs.SendingEventsTopicArn.Value).toEqual({ Ref: ref(stack.sending.topic) });
    expect(outputs.IntakeDeadLetterQueueUrl.Value).toEqual({
      Ref: ref(stack.intake.deadLetterQueue!),
    });
    expect(outputs.NoticesDeadLetterQueueUrl.Value).toEqual({
      Ref: ref(stack.notices.deadLetterQueue!),
    });
    expect(outputs.SchedulerDeadLetterQueueUrl.Value).toEqual({
      Ref: ref(stack.scheduling.deadLetterQueue),
    });
    expect(outputs.ScheduleGroupName.Value).toBe('embargo-example');
    expect(outputs.AlarmTopicArn.Value).toEqual({ Ref: ref(stack.alarms.topic) });
    expect(outputs.ProjectKeySecretArn.Value).toEqual({ Ref: ref(stack.projectKeySecret) });
    expect(JSON.stringify(outputs.ActivateReceiptRuleSet.Value)).toContain(
      'aws ses set-active-receipt-rule-set --rule-set-name ',
    );
  });
});

describe('cdk-nag AwsSolutions', () => {
  // The finding ids name ARNs, whose region is a literal when the stack has one (as under
  // `cdk synth` with a profile) and a reference otherwise: the acknowledgments must fit both.
  test.each([
    ['without an environment', undefined],
    ['in a given account and region', { account: '111111111111', region: 'eu-west-1' }],
  ])('finds nothing that is not acknowledged with a reason (%s)', (_label, env) => {
    const nagApp = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const nagStack = new EmbargoStack(nagApp, 'Embargo-example', { config, env });
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

  // Each name is embargo-<project>, in the characters its service allows (starting and ending
  // with a letter or digit) and at most 64 characters long.
  describe.each([
    ['rule set', ruleSetNameFor, 'lib.', 'embargo-lib'],
    ['schedule group', scheduleGroupNameFor, 'my project!', 'embargo-my-project'],
    ['configuration set', configurationSetNameFor, 'lib.js', 'embargo-lib-js'],
  ])('%s names', (_kind, nameFor, project, expected) => {
    test('are embargo-<project>', () => expect(nameFor('example')).toBe('embargo-example'));
    test(`drop characters not allowed ('${project}')`, () =>
      expect(nameFor(project)).toBe(expected));
    test('fit 64 characters', () => expect(nameFor('x'.repeat(100))).toHaveLength(64));
  });

  test('fixed function names keep their role suffix and fit 64 characters', () => {
    expect(functionNameFor('example', 'notices')).toBe('embargo-example-notices');
    expect(functionNameFor('lib.js', 'notices')).toBe('embargo-lib-js-notices');
    const long = functionNameFor('x'.repeat(100), 'notices');
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^embargo-x+-notices$/);
  });

  test('the identity domain is the lower-cased domain of the security address', () => {
    expect(domainOf('Security@Example.ORG')).toBe('example.org');
    expect(() => domainOf('not-an-address')).toThrow();
  });
});
