import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EmbargoConfig } from '../config/embargo-config';
import { DynamoDbCaseRepository } from '../adapters/dynamodb/dynamodb-case-repository';
import { DynamoDbOutboxLedger } from '../adapters/dynamodb/dynamodb-outbox-ledger';
import { DynamoDbThreadIndex } from '../adapters/dynamodb/dynamodb-thread-index';
import { markUnstorableValues } from '../adapters/dynamodb/limits/unstorable-values';
import { DynamoDbSendingBudget } from '../adapters/dynamodb/flood/dynamodb-sending-budget';
import { SimulatedTimeCases } from '../cases/simulated-time-cases';
import { CaseMailer } from '../outbound/case-mailer';
import { MailDispatcher } from '../outbound/mail-dispatcher';
import type { Clock } from '../time/clock';
import type { Logger } from '../logging/logger';
import type { MailTransport } from '../outbound/mail-transport';
import type { ProjectKeySource } from '../pgp/project-key-source';
import { OpenPgpMailCrypto } from '../pgp/openpgp-mail-crypto';
import { projectKeyLoader } from '../pgp/project-key-loader';
import type { GitHubTokenSource } from '../github-advisory/github-token-source';
import {
  csafPublicationService,
  githubAdvisoryService,
  osvPublicationService,
} from './github-services';

/** What every function works with: the case table, outbound mail and the project key. */
export interface CaseMailEnvironment {
  config: EmbargoConfig;
  dynamo: DynamoDBDocumentClient;
  tableName: string;
  transport: MailTransport;
  projectKey: ProjectKeySource;
  clock: Clock;
  /**
   * Set when `clock` is simulated (`embargo tick --now`): the real clock, which then dates the
   * case history (the simulated instant kept beside it).
   */
  historyClock?: Clock;
  log: Logger;
  /** The GitHub token, for `github` in the configuration (docs/github.md). */
  githubToken?: GitHubTokenSource;
  /** Pause unit between GitHub retries, in ms (tests make it small). */
  githubRetryBaseMs?: number;
}

/**
 * The services every capability builds on: cases, their threads and mail about them, encrypted
 * and signed with the project key. The capability factories (intake, notices, watch, delivery
 * problems) take these, so that a runtime builds them once and each function only what it uses.
 */
export function caseMailServices(env: CaseMailEnvironment) {
  const { config, clock, log } = env;
  // Every capability shares this client: a request DynamoDB refuses as invalid is an outcome.
  markUnstorableValues(env.dynamo);
  const stored = new DynamoDbCaseRepository(env.dynamo, env.tableName);
  const cases = env.historyClock ? new SimulatedTimeCases(stored, env.historyClock) : stored;
  const outbox = new DynamoDbOutboxLedger(env.dynamo, env.tableName);
  const threads = new DynamoDbThreadIndex(env.dynamo, env.tableName);
  const projectKey = projectKeyLoader(env.projectKey);
  const crypto = new OpenPgpMailCrypto(projectKey);
  const dispatcher = new MailDispatcher(outbox, threads, env.transport, clock, crypto, {
    // A new report's mails (the acknowledgment, a copy to each maintainer) counted at once.
    budget: new DynamoDbSendingBudget(
      env.dynamo,
      env.tableName,
      config.maxMailsPerDay,
      1 + config.maintainers.length,
    ),
    maxMailsPerDay: config.maxMailsPerDay,
    log,
  });
  const mailer = new CaseMailer({ config, dispatcher, cases, crypto, clock });
  const github = githubAdvisoryService(
    { config, cases, mailer, clock, log },
    env.githubToken,
    env.githubRetryBaseMs === undefined ? {} : { retryBaseMs: env.githubRetryBaseMs },
  );
  const osv = osvPublicationService(
    { config, cases, mailer, clock, log },
    env.githubToken,
    env.githubRetryBaseMs === undefined ? {} : { retryBaseMs: env.githubRetryBaseMs },
  );
  const csaf = csafPublicationService(
    { config, cases, mailer, clock, log, signer: crypto },
    env.githubToken,
    env.githubRetryBaseMs === undefined ? {} : { retryBaseMs: env.githubRetryBaseMs },
  );
  return {
    config,
    clock,
    log,
    cases,
    outbox,
    threads,
    projectKey,
    crypto,
    dispatcher,
    mailer,
    github,
    osv,
    csaf,
  };
}

export type CaseMailServices = ReturnType<typeof caseMailServices>;
