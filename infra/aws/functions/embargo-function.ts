import * as path from 'node:path';
import {
  Duration,
  RemovalPolicy,
  Validations,
  aws_iam as iam,
  aws_kms as kms,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  aws_logs as logs,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import { configDefine } from './bundled-config';
import {
  BUNDLE_BANNER,
  BUNDLE_MAIN_FIELDS,
  IMPORT_META_URL,
  UNREACHED_CREDENTIAL_PROVIDERS,
  bundleAliases,
  separateExternals,
  separatePartCommands,
} from './function-bundling';

export interface EmbargoFunctionProps {
  /** The resolved project configuration, bundled into the code. */
  readonly config: EmbargoConfig;
  /** The handler module in `functions/`, without its extension (it exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** A fixed name, for a function whose ARN is needed before it exists; generated if unset. */
  readonly functionName?: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Reserved concurrency; none (the account's unreserved pool) if unset. */
  readonly reservedConcurrentExecutions?: number;
  readonly environment: Record<string, string>;
  /** How often Lambda retries a failed asynchronous invocation (0 to 2). */
  readonly retryAttempts: number;
  /** How long Lambda keeps an asynchronous event it could not run yet (default 6 hours). */
  readonly maxEventAge?: Duration;
  /** Keep events that failed every attempt in a queue encrypted with this key (none if unset). */
  readonly deadLetterKey?: kms.IKey;
}

/** A Lambda function of the stack and the resources that belong to it alone. */
export interface EmbargoFunction {
  readonly function: nodejs.NodejsFunction;
  /** Its execution role, with no permissions but writing its own logs: grant what it needs. */
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterQueue?: sqs.Queue;
}

/**
 * One of the stack's Lambda functions: the code in `functions/<entry>.ts` bundled with the
 * configuration, on Node.js 22 (arm64), with JSON logs kept a year, an explicit role and,
 * optionally, an encrypted dead-letter queue. The resources are created in `scope` with ids
 * `<name>Function`, `<name>Role`, `<name>LogGroup` and `<name>DeadLetterQueue`, so the ones the
 * stack had before this was factored out keep their logical ids.
 */
export function createEmbargoFunction(
  scope: Construct,
  name: string,
  props: EmbargoFunctionProps,
): EmbargoFunction {
  const deadLetterQueue = props.deadLetterKey
    ? new sqs.Queue(scope, `${name}DeadLetterQueue`, {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: props.deadLetterKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      })
    : undefined;

  const logGroup = new logs.LogGroup(scope, `${name}LogGroup`, {
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
  });

  // An explicit role instead of the default one, which would carry the managed
  // AWSLambdaBasicExecutionRole policy (logs:* on every log group in the account).
  const role = new iam.Role(scope, `${name}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Embargo ${props.entry} Lambda`,
  });
  logGroup.grantWrite(role);

  const fn = new nodejs.NodejsFunction(scope, `${name}Function`, {
    functionName: props.functionName,
    description: props.description,
    // This file is infra/aws/functions/; the handlers are in functions/ at the repository root.
    entry: path.join(__dirname, '..', '..', '..', 'functions', `${props.entry}.ts`),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrentExecutions,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: props.environment,
    deadLetterQueue,
    retryAttempts: props.retryAttempts,
    maxEventAge: props.maxEventAge,
    bundling: {
      minify: true,
      sourceMap: true,
      // The map names files and lines for the stack traces (NODE_OPTIONS=--enable-source-maps)
      // without a copy of every source in it: 9.8 MiB of map is ~60 ms more at each cold start.
      sourcesContent: false,
      target: 'node22',
      forceDockerBundling: false,
      logLevel: nodejs.LogLevel.WARNING,
      // Bundle the AWS SDK too, so the deployed code runs the versions in package-lock.json
      // rather than whatever the managed runtime ships; only the credential providers a
      // Lambda never reaches stay out, and the parts written beside the bundle after it.
      externalModules: [...UNREACHED_CREDENTIAL_PROVIDERS, ...separateExternals(props.entry)],
      charset: nodejs.Charset.UTF8,
      mainFields: BUNDLE_MAIN_FIELDS,
      esbuildArgs: {
        '--alias': Object.entries(bundleAliases()).map(([name, file]) => `${name}=${file}`),
      },
      banner: BUNDLE_BANNER,
      define: { 'import.meta.url': IMPORT_META_URL, ...configDefine(props.config) },
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_inputDir, outputDir) => separatePartCommands(props.entry, outputDir),
      },
    },
  });

  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'The runtime is pinned to Node.js 22 on purpose: the code is bundled for node22 and tested on it, so a runtime upgrade is a deliberate change rather than a side effect of a CDK upgrade.',
  });

  return { function: fn, role, logGroup, deadLetterQueue };
}
