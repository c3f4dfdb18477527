import type { S3Client } from '@aws-sdk/client-s3';
import type { NoticeScheduler } from '../notices/notice-scheduler';
import { caseMailServices, type CaseMailEnvironment } from './case-mail-services';
import { deliveryProblemServices } from './delivery-problem-services';
import { intakeServices } from './intake-services';
import { noticeServices } from './notice-services';
import { acknowledgmentServices, watchServices } from './watch-services';

export interface ServiceEnvironment extends CaseMailEnvironment {
  s3: S3Client;
  rawMailBucket: string;
  /** Where SES stores inbound mail. */
  rawMailPrefix: string;
  /** Where case files (patches) are kept, in the same bucket. */
  caseFilesPrefix: string;
  scheduler: NoticeScheduler;
}

/**
 * Every service at once, for a runtime that runs all the handlers in one process (local mode,
 * the tests). It is made of the same capability factories that the AWS runtime uses one by one
 * per function (functions/aws-runtime.ts), so both compose the domain alike; only the clients
 * and the transport differ.
 */
export function createServices(env: ServiceEnvironment) {
  const core = caseMailServices(env);
  const noticing = noticeServices(core, { ...env, bucket: env.rawMailBucket });
  const { acknowledger } = acknowledgmentServices(core);
  return {
    ...core,
    ...noticing,
    acknowledger,
    ...watchServices(core, acknowledger),
    ...deliveryProblemServices(core),
    ...intakeServices(core, noticing, acknowledger, env),
  };
}

export type EmbargoServices = ReturnType<typeof createServices>;
