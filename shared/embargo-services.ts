import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EmbargoConfig } from './config/embargo-config';
import { DynamoDbCaseRepository } from './adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbInboundLedger } from './adapters/dynamodb/dynamodb-inbound-ledger';
import { DynamoDbOutboxLedger } from './adapters/dynamodb/dynamodb-outbox-ledger';
import { DynamoDbReplayGuard } from './adapters/dynamodb/dynamodb-replay-guard';
import { DynamoDbThreadIndex } from './adapters/dynamodb/dynamodb-thread-index';
import { S3CaseFiles } from './adapters/s3/s3-case-files';
import { S3RawMailStore } from './adapters/s3/s3-raw-mail-store';
import { DynamoDbDistributorDirectory } from './adapters/dynamodb/dynamodb-distributor-directory';
import { AckWatch } from './domain/ack-watch';
import { Acknowledger } from './domain/acknowledger';
import { CaseMailer } from './domain/case-mailer';
import { DeliveryProblemService } from './domain/delivery-problems';
import { EmbargoPlanner } from './domain/embargo-planner';
import { NoticeService } from './domain/notice-service';
import { IntakeService } from './domain/intake-service';
import { MailDispatcher } from './domain/mail-dispatcher';
import { MaintainerReplyService } from './domain/maintainer-reply';
import { ThreadRouter } from './domain/thread-router';
import { parseInboundMail } from './mail/parse-inbound-mail';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { MailTransport } from './ports/mail-transport';
import type { NoticeScheduler } from './ports/notice-scheduler';
import type { ProjectKeySource } from './ports/project-key-source';
import { OpenPgpMailCrypto } from './pgp/openpgp-mail-crypto';
import { OpenPgpReportReader } from './pgp/openpgp-report-reader';
import { projectKeyLoader } from './pgp/project-key-loader';

export interface ServiceEnvironment {
  config: EmbargoConfig;
  dynamo: DynamoDBDocumentClient;
  tableName: string;
  s3: S3Client;
  rawMailBucket: string;
  /** Where SES stores inbound mail. */
  rawMailPrefix: string;
  /** Where case files (patches) are kept, in the same bucket. */
  caseFilesPrefix: string;
  transport: MailTransport;
  scheduler: NoticeScheduler;
  projectKey: ProjectKeySource;
  clock: Clock;
  log: Logger;
}

/**
 * Builds the domain services on the AWS SDK adapters. Both runtimes call this: AWS with real
 * endpoints and SES, local mode with the in-process servers and the Maildir. Only the clients
 * and the transport differ.
 */
export function createServices(env: ServiceEnvironment) {
  const { config, clock, log } = env;
  const cases = new DynamoDbCaseRepository(env.dynamo, env.tableName);
  const ledger = new DynamoDbInboundLedger(env.dynamo, env.tableName);
  const outbox = new DynamoDbOutboxLedger(env.dynamo, env.tableName);
  const threads = new DynamoDbThreadIndex(env.dynamo, env.tableName);
  const replays = new DynamoDbReplayGuard(env.dynamo, env.tableName);
  const rawMail = new S3RawMailStore(env.s3, env.rawMailBucket, env.rawMailPrefix);
  const files = new S3CaseFiles(env.s3, env.rawMailBucket, env.caseFilesPrefix);
  const projectKey = projectKeyLoader(env.projectKey);
  const crypto = new OpenPgpMailCrypto(projectKey);
  const reader = new OpenPgpReportReader(projectKey);
  const dispatcher = new MailDispatcher(outbox, threads, env.transport, clock, crypto);
  const mailer = new CaseMailer({ config, dispatcher, cases, crypto, clock });
  const router = new ThreadRouter(config, cases, threads);
  const distributors = new DynamoDbDistributorDirectory(env.dynamo, env.tableName);
  const notices = new NoticeService({
    config,
    cases,
    distributors,
    mailer,
    crypto,
    files,
    clock,
    log,
  });
  const planner = new EmbargoPlanner({ config, cases, scheduler: env.scheduler, notices, clock });
  const acknowledger = new Acknowledger({ config, cases, mailer, crypto, clock });
  const watch = new AckWatch({ config, cases, mailer, acknowledger, clock, log });
  const maintainerReplies = new MaintainerReplyService({
    config,
    cases,
    mailer,
    crypto,
    replays,
    files,
    clock,
    log,
    onCaseChanged: (record) => planner.sync(record),
  });
  const deliveryProblems = new DeliveryProblemService({
    config,
    cases,
    threads,
    mailer,
    clock,
    log,
  });
  const intake = new IntakeService({
    config,
    rawMail,
    files,
    ledger,
    cases,
    mailer,
    router,
    maintainerReplies,
    acknowledger,
    parse: parseInboundMail,
    reader,
    crypto,
    clock,
    log,
  });
  return {
    cases,
    ledger,
    outbox,
    threads,
    rawMail,
    files,
    mailer,
    dispatcher,
    intake,
    notices,
    planner,
    watch,
    deliveryProblems,
    distributors,
    projectKey,
    crypto,
  };
}

export type EmbargoServices = ReturnType<typeof createServices>;
