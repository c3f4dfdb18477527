import type { S3Client } from '@aws-sdk/client-s3';
import { floodServices } from './flood-services';
import { DynamoDbInboundLedger } from '../adapters/dynamodb/dynamodb-inbound-ledger';
import { DynamoDbReplayGuard } from '../adapters/dynamodb/dynamodb-replay-guard';
import { DynamoDbCiphertextLedger } from '../adapters/dynamodb/dynamodb-ciphertext-ledger';
import { DynamoDbReporterHistory } from '../adapters/dynamodb/dynamodb-reporter-history';
import { CiphertextFingerprints } from '../pgp/ciphertext-fingerprints';
import { S3RawMailStore } from '../adapters/s3/s3-raw-mail-store';
import type { Acknowledger } from '../acknowledgment/acknowledger';
import { EmbargoPlanner } from '../notices/embargo-planner';
import { IntakeService } from '../intake/intake-service';
import { MaintainerReplyService } from '../threads/maintainer-reply';
import { CommandApplication } from '../commands/command-application';
import { ThreadRouter } from '../threads/thread-router';
import { DistributorMailService } from '../threads/distributor-mail';
import { parseInboundMail } from '../mail/parse-inbound-mail';
import { MailReportReader } from '../reports/mail-report-reader';
import { deliveryProblemServices } from './delivery-problem-services';
import type { NoticeScheduler } from '../notices/notice-scheduler';
import type { CaseMailEnvironment, CaseMailServices } from './case-mail-services';
import type { NoticeServices } from './notice-services';

/** Where SES stores inbound mail, and where the notice schedules go. */
export interface IntakeEnvironment extends Pick<CaseMailEnvironment, 'dynamo' | 'tableName'> {
  s3: S3Client;
  rawMailBucket: string;
  rawMailPrefix: string;
  scheduler: NoticeScheduler;
}

/**
 * Intake of every mail to the security address: reports, replies and maintainers' commands,
 * which plan the notices (an advance notice already due is sent at once, hence `noticing`).
 */
export function intakeServices(
  core: CaseMailServices,
  noticing: Pick<NoticeServices, 'notices' | 'files' | 'distributors'>,
  acknowledger: Acknowledger,
  env: IntakeEnvironment,
) {
  const { config, cases, threads, mailer, crypto, projectKey, dispatcher, clock, log } = core;
  const { notices, files, distributors } = noticing;
  const ledger = new DynamoDbInboundLedger(env.dynamo, env.tableName);
  const replays = new DynamoDbReplayGuard(env.dynamo, env.tableName);
  const defences = floodServices(core, env);
  const flood = { admission: defences.admission, dispatcher };
  const rawMail = new S3RawMailStore(env.s3, env.rawMailBucket, env.rawMailPrefix);
  const reader = new MailReportReader(projectKey);
  const router = new ThreadRouter(config, cases, threads, distributors);
  const planner = new EmbargoPlanner({ config, cases, scheduler: env.scheduler, notices, clock });
  const commands = new CommandApplication({
    config,
    cases,
    mailer,
    clock,
    acknowledger,
    onCaseChanged: (record) => planner.sync(record),
    distributors,
    crypto,
    ...(core.github ? { github: core.github } : {}),
    ...(core.osv ? { osv: core.osv } : {}),
    ...(core.csaf ? { csaf: core.csaf } : {}),
  });
  const maintainerReplies = new MaintainerReplyService({
    config,
    cases,
    mailer,
    crypto,
    replays,
    files,
    clock,
    log,
    commands,
  });
  const distributorMail = new DistributorMailService({
    config,
    cases,
    mailer,
    crypto,
    replays,
    clock,
    log,
    notices,
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
    distributorMail,
    replays,
    acknowledger,
    parse: parseInboundMail,
    reader,
    crypto,
    distributors,
    clock,
    log,
    flood,
    replayedCiphertext: {
      fingerprints: new CiphertextFingerprints(projectKey),
      ciphertexts: new DynamoDbCiphertextLedger(env.dynamo, env.tableName),
    },
    deliveryProblems: deliveryProblemServices(core).deliveryProblems,
    reporterHistory: new DynamoDbReporterHistory(env.dynamo, env.tableName),
  });
  return { ledger, rawMail, planner, commands, intake, ...defences };
}
