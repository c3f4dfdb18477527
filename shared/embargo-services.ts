import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { EmbargoConfig } from './config/embargo-config';
import { DynamoDbCaseRepository } from './adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbInboundLedger } from './adapters/dynamodb/dynamodb-inbound-ledger';
import { DynamoDbOutboxLedger } from './adapters/dynamodb/dynamodb-outbox-ledger';
import { S3RawMailStore } from './adapters/s3/s3-raw-mail-store';
import { IntakeService } from './domain/intake-service';
import { MailDispatcher } from './domain/mail-dispatcher';
import { parseInboundMail } from './mail/parse-inbound-mail';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { MailTransport } from './ports/mail-transport';
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
  rawMailPrefix: string;
  transport: MailTransport;
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
  const cases = new DynamoDbCaseRepository(env.dynamo, env.tableName);
  const ledger = new DynamoDbInboundLedger(env.dynamo, env.tableName);
  const outbox = new DynamoDbOutboxLedger(env.dynamo, env.tableName);
  const rawMail = new S3RawMailStore(env.s3, env.rawMailBucket, env.rawMailPrefix);
  const projectKey = projectKeyLoader(env.projectKey);
  const crypto = new OpenPgpMailCrypto(projectKey);
  const reader = new OpenPgpReportReader(projectKey);
  const dispatcher = new MailDispatcher(outbox, env.transport, env.clock, crypto);
  const intake = new IntakeService({
    config: env.config,
    rawMail,
    ledger,
    cases,
    dispatcher,
    parse: parseInboundMail,
    reader,
    crypto,
    clock: env.clock,
    log: env.log,
  });
  return { cases, ledger, outbox, rawMail, dispatcher, intake, projectKey, crypto };
}

export type EmbargoServices = ReturnType<typeof createServices>;
