import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConfigError } from '../shared/config/config-error';
import { parseResolvedConfig } from '../shared/config/load-config';
import { jsonLogger } from '../shared/adapters/logging/json-logger';
import { SecretsManagerProjectKeySource } from '../shared/adapters/secrets/secrets-manager-project-key-source';
import { EventBridgeNoticeScheduler } from '../shared/adapters/scheduler/eventbridge-notice-scheduler';
import { SesMailTransport } from '../shared/adapters/ses/ses-mail-transport';
import { createServices, type EmbargoServices } from '../shared/embargo-services';
import { systemClock } from '../shared/ports/clock';

const environmentSchema = z.object({
  EMBARGO_TABLE_NAME: z.string().min(3),
  EMBARGO_RAW_MAIL_BUCKET: z.string().min(3),
  EMBARGO_RAW_MAIL_PREFIX: z.string().default('inbound/'),
  EMBARGO_CASE_FILES_PREFIX: z.string().default('case-files/'),
  EMBARGO_PROJECT_KEY_SECRET_ARN: z.string().min(1),
  EMBARGO_SCHEDULE_GROUP: z.string().min(1),
  EMBARGO_NOTICES_FUNCTION_ARN: z.string().min(1),
  EMBARGO_SCHEDULER_ROLE_ARN: z.string().min(1),
  EMBARGO_SCHEDULER_DLQ_ARN: z.string().min(1),
  EMBARGO_SES_CONFIGURATION_SET: z.string().min(1),
});

let services: EmbargoServices | undefined;

/** The AWS composition root: built once per Lambda container, on first use. */
export function awsServices(env: NodeJS.ProcessEnv = process.env): EmbargoServices {
  if (services) return services;
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      'the Lambda environment',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  const vars = parsed.data;
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  services = createServices({
    // Written literally so that the bundler can inline the configuration at build time: with
    // maintainers' keys it outgrows Lambda's 4 KB environment. Unbundled, it is read from env.
    config: parseResolvedConfig(process.env.EMBARGO_CONFIG_JSON, 'EMBARGO_CONFIG_JSON'),
    dynamo,
    tableName: vars.EMBARGO_TABLE_NAME,
    s3: new S3Client({}),
    rawMailBucket: vars.EMBARGO_RAW_MAIL_BUCKET,
    rawMailPrefix: vars.EMBARGO_RAW_MAIL_PREFIX,
    caseFilesPrefix: vars.EMBARGO_CASE_FILES_PREFIX,
    // Every mail goes out with the configuration set, which reports bounces and complaints.
    transport: new SesMailTransport(new SESv2Client({}), {
      configurationSetName: vars.EMBARGO_SES_CONFIGURATION_SET,
    }),
    scheduler: new EventBridgeNoticeScheduler(new SchedulerClient({}), {
      groupName: vars.EMBARGO_SCHEDULE_GROUP,
      targetArn: vars.EMBARGO_NOTICES_FUNCTION_ARN,
      roleArn: vars.EMBARGO_SCHEDULER_ROLE_ARN,
      deadLetterArn: vars.EMBARGO_SCHEDULER_DLQ_ARN,
    }),
    projectKey: new SecretsManagerProjectKeySource(
      new SecretsManagerClient({}),
      vars.EMBARGO_PROJECT_KEY_SECRET_ARN,
    ),
    clock: systemClock,
    log: jsonLogger(),
  });
  return services;
}
