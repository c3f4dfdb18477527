import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateConfigurationSetCommand,
  CreateEmailIdentityCommand,
  SESv2Client,
} from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { ensureCaseTable } from '../../infra/local/stores/local-dynamodb';
import { startMotoServer, type MotoServer } from './moto-server';

/** AWS's published event examples (test/fixtures/aws-events/README.md says where from). */
export const awsEvent = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'aws-events', name), 'utf8'));

/** The region and account of the receipt event example in the Lambda developer guide. */
export const REGION = 'us-west-2';
export const ACCOUNT = '012345678912';

/** The names the stack gives its resources, here made up (moto accepts any). */
export const TIER = {
  table: 'embargo-aws-tier-cases',
  bucket: 'embargo-aws-tier-raw-mail',
  rawMailPrefix: 'inbound/',
  scheduleGroup: 'embargo-aws-tier-notices',
  configurationSet: 'embargo-aws-tier-sending',
  noticesFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:embargo-notices`,
  schedulerRoleArn: `arn:aws:iam::${ACCOUNT}:role/embargo-scheduler`,
  schedulerDlqArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:embargo-scheduler-dlq`,
};

export interface AwsTier {
  moto: MotoServer;
  /** The Lambda environment the stack would set, pointing at the resources made here. */
  env: NodeJS.ProcessEnv;
  clients: {
    dynamo: DynamoDBDocumentClient;
    s3: S3Client;
    scheduler: SchedulerClient;
    secrets: SecretsManagerClient;
    sesv2: SESv2Client;
  };
  projectKeySecretArn: string;
  /** Stores raw mail where SES's S3 action puts it. */
  putRawMail(messageId: string, raw: Buffer | string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts moto_server and makes, in it, the resources the stack makes in AWS (case table, raw-mail
 * bucket, project key secret, schedule group, SES identity and configuration set). The SDK finds
 * moto through its own settings (AWS_ENDPOINT_URL, AWS_REGION and static credentials in
 * process.env), exactly as the functions' clients would find AWS: no code path differs.
 */
export async function startAwsTier(
  config: EmbargoConfig,
  projectKeyArmored: string,
): Promise<AwsTier> {
  const moto = await startMotoServer();
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  process.env.AWS_REGION = REGION;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;

  const clients = {
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    s3: new S3Client({}),
    scheduler: new SchedulerClient({}),
    secrets: new SecretsManagerClient({}),
    sesv2: new SESv2Client({}),
  };
  await ensureCaseTable(clients.dynamo, TIER.table);
  // Outside us-east-1 S3 needs the region as the bucket's location constraint, as in AWS.
  await clients.s3.send(
    new CreateBucketCommand({
      Bucket: TIER.bucket,
      CreateBucketConfiguration: { LocationConstraint: REGION },
    }),
  );
  const secret = await clients.secrets.send(
    new CreateSecretCommand({
      Name: 'embargo-aws-tier-project-key',
      SecretString: projectKeyArmored,
    }),
  );
  await clients.scheduler.send(new CreateScheduleGroupCommand({ Name: TIER.scheduleGroup }));
  const domain = config.securityAddress.split('@')[1]!;
  await clients.sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: domain }));
  await clients.sesv2.send(
    new CreateConfigurationSetCommand({ ConfigurationSetName: TIER.configurationSet }),
  );

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EMBARGO_TABLE_NAME: TIER.table,
    EMBARGO_RAW_MAIL_BUCKET: TIER.bucket,
    EMBARGO_RAW_MAIL_PREFIX: TIER.rawMailPrefix,
    EMBARGO_PROJECT_KEY_SECRET_ARN: secret.ARN!,
    EMBARGO_SCHEDULE_GROUP: TIER.scheduleGroup,
    EMBARGO_NOTICES_FUNCTION_ARN: TIER.noticesFunctionArn,
    EMBARGO_SCHEDULER_ROLE_ARN: TIER.schedulerRoleArn,
    EMBARGO_SCHEDULER_DLQ_ARN: TIER.schedulerDlqArn,
    EMBARGO_SES_CONFIGURATION_SET: TIER.configurationSet,
    EMBARGO_CONFIG_JSON: JSON.stringify(config),
  };
  // The composition reads the bundled configuration from process.env (aws-runtime.ts).
  Object.assign(process.env, env);

  return {
    moto,
    env,
    clients,
    projectKeySecretArn: secret.ARN!,
    putRawMail: async (messageId, raw) => {
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: TIER.bucket,
          Key: TIER.rawMailPrefix + messageId,
          Body: raw,
        }),
      );
    },
    stop: () => moto.stop(),
  };
}
