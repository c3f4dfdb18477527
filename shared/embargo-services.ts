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

export interface ServiceEnvironment {
  config: EmbargoConfig;
  dynamo: DynamoDBDocumentClient;
  tableName: string;
  s3: S3Client;
  rawMailBucket: string;
  rawMailPrefix: string;
  transport: MailTransport;
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
  const dispatcher = new MailDispatcher(outbox, env.transport, env.clock);
  const intake = new IntakeService({
    config: env.config,
    rawMail,
    ledger,
    cases,
    dispatcher,
    parse: parseInboundMail,
    clock: env.clock,
    log: env.log,
  });
  return { cases, ledger, outbox, rawMail, dispatcher, intake };
}

export type EmbargoServices = ReturnType<typeof createServices>;
