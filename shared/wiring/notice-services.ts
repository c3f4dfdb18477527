import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbDistributorDirectory } from '../adapters/dynamodb/dynamodb-distributor-directory';
import { DynamoDbNoticeHolds } from '../adapters/dynamodb/dynamodb-notice-holds';
import { S3CaseFiles } from '../adapters/s3/s3-case-files';
import { NoticeService } from '../notices/notice-service';
import type { CaseMailEnvironment, CaseMailServices } from './case-mail-services';

/** Where case files (patches, advisory exports) are kept. */
export interface CaseFilesEnvironment {
  s3: S3Client;
  bucket: string;
  caseFilesPrefix: string;
}

/** Disclosure notices: to the distributors, the reporter and the announce list. */
export function noticeServices(
  core: CaseMailServices,
  env: Pick<CaseMailEnvironment, 'dynamo' | 'tableName'> & CaseFilesEnvironment,
) {
  const { config, cases, mailer, crypto, clock, log, threads } = core;
  const distributors = new DynamoDbDistributorDirectory(env.dynamo, env.tableName);
  const files = new S3CaseFiles(env.s3, env.bucket, env.caseFilesPrefix);
  const holds = new DynamoDbNoticeHolds(env.dynamo, env.tableName);
  const notices = new NoticeService({
    config,
    cases,
    distributors,
    mailer,
    crypto,
    files,
    holds,
    clock,
    log,
    threads,
    ...(core.github ? { github: core.github } : {}),
    ...(core.osv ? { osv: core.osv } : {}),
    ...(core.csaf ? { csaf: core.csaf } : {}),
  });
  return { distributors, files, holds, notices };
}

export type NoticeServices = ReturnType<typeof noticeServices>;
