import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ConfigError } from '../shared/config/config-error';
import { parseResolvedConfig } from '../shared/config/resolved-config';
import { jsonLogger } from '../shared/logging/json-logger';
import { SecretsManagerProjectKeySource } from '../shared/adapters/secrets/secrets-manager-project-key-source';
import { SecretsManagerGitHubToken } from '../shared/adapters/secrets/secrets-manager-github-token';
import { EventBridgeNoticeScheduler } from '../shared/adapters/scheduler/eventbridge-notice-scheduler';
import { SesMailTransport } from '../shared/adapters/ses/ses-mail-transport';
import { createServices, type EmbargoServices } from '../shared/wiring/embargo-services';
import { systemClock } from '../shared/time/clock';
import { validate } from '../shared/validation/validate';
import {
  caseMailServices,
  type CaseMailEnvironment,
  type CaseMailServices,
} from '../shared/wiring/case-mail-services';
import { deliveryProblemServices } from '../shared/wiring/delivery-problem-services';
import { intakeServices } from '../shared/wiring/intake-services';
import { noticeServices } from '../shared/wiring/notice-services';
import { acknowledgmentServices, watchServices } from '../shared/wiring/watch-services';
import { floodServices } from '../shared/wiring/flood-services';

/*
 * The AWS composition root. Each function takes only the service set it uses (awsIntakeServices
 * and so on), so its bundle holds only what that set imports: esbuild leaves out the exports of
 * this module that a function does not reach, and with them their modules, since package.json
 * declares this repository's runtime code free of import side effects ("sideEffects"). The
 * notices function, for one, carries neither mailparser nor the scheduler client.
 */

const nonEmpty = z.string().check(z.minLength(1));

/** Every AWS SDK client this container made (see awsSdkClients). */
type SdkClient = DynamoDBClient | S3Client | SchedulerClient | SecretsManagerClient | SESv2Client;
const clientsMade: SdkClient[] = [];
function made<T extends SdkClient>(client: T): T {
  clientsMade.push(client);
  return client;
}

/**
 * The SDK clients the functions of this container use, so that the AWS API tier can count their
 * requests with SDK middleware (test/aws). Each client takes its endpoint, region and
 * credentials from the SDK's own settings (AWS_ENDPOINT_URL and so on), never from this module.
 */
export function awsSdkClients(): readonly SdkClient[] {
  return clientsMade;
}

const environmentSchema = z.object({
  EMBARGO_TABLE_NAME: z.string().check(z.minLength(3)),
  EMBARGO_RAW_MAIL_BUCKET: z.string().check(z.minLength(3)),
  EMBARGO_RAW_MAIL_PREFIX: z._default(z.string(), 'inbound/'),
  EMBARGO_CASE_FILES_PREFIX: z._default(z.string(), 'case-files/'),
  EMBARGO_PROJECT_KEY_SECRET_ARN: nonEmpty,
  EMBARGO_SCHEDULE_GROUP: nonEmpty,
  EMBARGO_NOTICES_FUNCTION_ARN: nonEmpty,
  EMBARGO_SCHEDULER_ROLE_ARN: nonEmpty,
  EMBARGO_SCHEDULER_DLQ_ARN: nonEmpty,
  EMBARGO_SES_CONFIGURATION_SET: nonEmpty,
});

/** Set by the stack when every function has a reserved concurrency: their sum (Send rate). */
const sendingEnvironmentSchema = z.object({
  EMBARGO_SENDING_CONTAINERS: z.optional(
    z.string().check(z.regex(/^[1-9][0-9]{0,3}$/, 'a whole number of containers')),
  ),
});

/** Set by the stack only when the configuration names a GitHub repository (docs/github.md). */
const gitHubEnvironmentSchema = z.object({
  EMBARGO_GITHUB_TOKEN_SECRET_ARN: z.optional(nonEmpty),
});

type Variables = z.infer<typeof environmentSchema> &
  z.infer<typeof gitHubEnvironmentSchema> &
  z.infer<typeof sendingEnvironmentSchema>;

/** The environment contract, the same for every function (the stack passes all of it). */
function variables(env: NodeJS.ProcessEnv): Variables {
  const parsed = validate(environmentSchema, env);
  if (!parsed.success) throw new ConfigError('the Lambda environment', parsed.problems);
  const github = validate(gitHubEnvironmentSchema, env);
  if (!github.success) throw new ConfigError('the Lambda environment', github.problems);
  const sending = validate(sendingEnvironmentSchema, env);
  if (!sending.success) throw new ConfigError('the Lambda environment', sending.problems);
  return { ...parsed.data, ...github.data, ...sending.data };
}

function caseMailEnvironment(vars: Variables): CaseMailEnvironment {
  const log = jsonLogger();
  return {
    // Written literally so that the bundler can inline the configuration at build time: with
    // maintainers' keys it outgrows Lambda's 4 KB environment. Unbundled, it is read from env.
    config: parseResolvedConfig(process.env.EMBARGO_CONFIG_JSON, 'EMBARGO_CONFIG_JSON'),
    dynamo: DynamoDBDocumentClient.from(made(new DynamoDBClient({})), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    tableName: vars.EMBARGO_TABLE_NAME,
    // Every mail goes out with the configuration set, which reports bounces and complaints.
    transport: new SesMailTransport(made(new SESv2Client({})), {
      configurationSetName: vars.EMBARGO_SES_CONFIGURATION_SET,
      log,
      ...(vars.EMBARGO_SENDING_CONTAINERS
        ? { sendingContainers: Number(vars.EMBARGO_SENDING_CONTAINERS) }
        : {}),
    }),
    projectKey: new SecretsManagerProjectKeySource(
      made(new SecretsManagerClient({})),
      vars.EMBARGO_PROJECT_KEY_SECRET_ARN,
    ),
    clock: systemClock,
    log,
    ...(vars.EMBARGO_GITHUB_TOKEN_SECRET_ARN
      ? {
          githubToken: new SecretsManagerGitHubToken(
            made(new SecretsManagerClient({})),
            vars.EMBARGO_GITHUB_TOKEN_SECRET_ARN,
          ),
        }
      : {}),
  };
}

function caseFilesEnvironment(vars: Variables) {
  return {
    s3: made(new S3Client({})),
    bucket: vars.EMBARGO_RAW_MAIL_BUCKET,
    caseFilesPrefix: vars.EMBARGO_CASE_FILES_PREFIX,
  };
}

function noticeScheduler(vars: Variables): EventBridgeNoticeScheduler {
  return new EventBridgeNoticeScheduler(made(new SchedulerClient({})), {
    groupName: vars.EMBARGO_SCHEDULE_GROUP,
    targetArn: vars.EMBARGO_NOTICES_FUNCTION_ARN,
    roleArn: vars.EMBARGO_SCHEDULER_ROLE_ARN,
    deadLetterArn: vars.EMBARGO_SCHEDULER_DLQ_ARN,
  });
}

/** The core every set builds on. */
function core(vars: Variables): { env: CaseMailEnvironment; core: CaseMailServices } {
  const env = caseMailEnvironment(vars);
  return { env, core: caseMailServices(env) };
}

type IntakeSet = ReturnType<typeof intakeServices>;
type NoticeSet = ReturnType<typeof noticeServices>;
type WatchSet = ReturnType<typeof watchServices> & ReturnType<typeof floodServices>;
type DeliveryProblemSet = ReturnType<typeof deliveryProblemServices>;

// Each set is built once per Lambda container, on first use. Plain function declarations, so
// that esbuild can drop the ones a function does not call.
let intakeSet: IntakeSet | undefined;
let noticeSet: NoticeSet | undefined;
let watchSet: WatchSet | undefined;
let deliveryProblemSet: DeliveryProblemSet | undefined;
let everything: EmbargoServices | undefined;

export function awsIntakeServices(env: NodeJS.ProcessEnv = process.env): IntakeSet {
  if (intakeSet) return intakeSet;
  const vars = variables(env);
  const { env: base, core: c } = core(vars);
  const files = caseFilesEnvironment(vars);
  const noticing = noticeServices(c, { ...base, ...files });
  const { acknowledger } = acknowledgmentServices(c);
  intakeSet = intakeServices(c, noticing, acknowledger, {
    ...base,
    s3: files.s3,
    rawMailBucket: vars.EMBARGO_RAW_MAIL_BUCKET,
    rawMailPrefix: vars.EMBARGO_RAW_MAIL_PREFIX,
    scheduler: noticeScheduler(vars),
  });
  return intakeSet;
}

export function awsNoticeServices(env: NodeJS.ProcessEnv = process.env): NoticeSet {
  if (noticeSet) return noticeSet;
  const vars = variables(env);
  const { env: base, core: c } = core(vars);
  noticeSet = noticeServices(c, { ...base, ...caseFilesEnvironment(vars) });
  return noticeSet;
}

export function awsWatchServices(env: NodeJS.ProcessEnv = process.env): WatchSet {
  if (watchSet) return watchSet;
  const { env: base, core: c } = core(variables(env));
  watchSet = { ...watchServices(c), ...floodServices(c, base) };
  return watchSet;
}

export function awsDeliveryProblemServices(
  env: NodeJS.ProcessEnv = process.env,
): DeliveryProblemSet {
  deliveryProblemSet ??= deliveryProblemServices(core(variables(env)).core);
  return deliveryProblemSet;
}

/** Every service, for the admin CLI against a deployed stack (no function calls this). */
export function awsServices(env: NodeJS.ProcessEnv = process.env): EmbargoServices {
  if (everything) return everything;
  const vars = variables(env);
  everything = createServices({
    ...caseMailEnvironment(vars),
    s3: made(new S3Client({})),
    rawMailBucket: vars.EMBARGO_RAW_MAIL_BUCKET,
    rawMailPrefix: vars.EMBARGO_RAW_MAIL_PREFIX,
    caseFilesPrefix: vars.EMBARGO_CASE_FILES_PREFIX,
    scheduler: noticeScheduler(vars),
  });
  return everything;
}
