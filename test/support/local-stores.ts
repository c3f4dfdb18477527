import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileProjectKeySource } from '../../shared/adapters/files/file-project-key-source';
import { MaildirMailTransport } from '../../shared/adapters/maildir/maildir-mail-transport';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import { createServices, type EmbargoServices } from '../../shared/wiring/embargo-services';
import type { Clock } from '../../shared/time/clock';
import type { Logger } from '../../shared/logging/logger';
import type { MailTransport } from '../../shared/outbound/mail-transport';
import type { FaultPlan } from './fault-plan';
import type { GitHubTokenSource } from '../../shared/github-advisory/github-token-source';
import {
  ensureCaseTable,
  localDynamoClient,
  startLocalDynamo,
} from '../../infra/local/stores/local-dynamodb';
import { localS3Client, startLocalS3 } from '../../infra/local/stores/local-s3';
import { localResources } from '../../infra/local/local-settings';
import { LocalNoticeScheduler } from '../../infra/local/local-notice-scheduler';

export const testConfig: EmbargoConfig = { ...defaultConfigFile, maintainers: [] };

/** GnuPG-made keys and messages from scripts/make-pgp-fixtures.ts. */
export const PGP_FIXTURES = join(__dirname, '..', 'fixtures', 'pgp');
export const pgpFixture = (name: string) => readFileSync(join(PGP_FIXTURES, name));

export interface LogLine {
  level: string;
  event: string;
  fields: Record<string, unknown>;
}

export function memoryLogger(lines: LogLine[] = []): Logger & { lines: LogLine[] } {
  return {
    lines,
    info: (event, fields = {}) => lines.push({ level: 'info', event, fields }),
    warn: (event, fields = {}) => lines.push({ level: 'warn', event, fields }),
    error: (event, fields = {}) => lines.push({ level: 'error', event, fields }),
  };
}

/** Real DynamoDB- and S3-compatible servers in this process, on a fresh temporary directory. */
export async function startStores() {
  const dataDir = mkdtempSync(join(tmpdir(), 'embargo-test-'));
  const dynamo = await startLocalDynamo(dataDir);
  const s3 = await startLocalS3(dataDir);
  const dynamoClient = localDynamoClient(dynamo.endpoint);
  await ensureCaseTable(dynamoClient);
  const s3Client = localS3Client(s3.endpoint);
  const dynamoEndpoint = dynamo.endpoint;
  const s3Endpoint = s3.endpoint;
  const outboxDir = join(dataDir, 'outbox');

  function services(
    options: {
      transport?: MailTransport;
      clock?: Clock;
      /** The real clock when `clock` is simulated (`tick --now`): it dates the history. */
      historyClock?: Clock;
      config?: EmbargoConfig;
      log?: Logger;
      faults?: FaultPlan;
      githubToken?: GitHubTokenSource;
      /** Another client of the same table, e.g. with middleware of a test's own. */
      dynamo?: DynamoDBDocumentClient;
    } = {},
  ): EmbargoServices {
    const faults = options.faults;
    const dynamo = faults
      ? faults.instrumentDynamo(options.dynamo ?? localDynamoClient(dynamoEndpoint))
      : (options.dynamo ?? dynamoClient);
    const s3 = faults ? faults.instrumentS3(localS3Client(s3Endpoint)) : s3Client;
    const transport = options.transport ?? new MaildirMailTransport(outboxDir);
    const scheduler = new LocalNoticeScheduler(dynamo, localResources.tableName);
    return createServices({
      config: options.config ?? testConfig,
      dynamo,
      tableName: localResources.tableName,
      s3,
      rawMailBucket: localResources.rawMailBucket,
      rawMailPrefix: localResources.rawMailPrefix,
      caseFilesPrefix: localResources.caseFilesPrefix,
      transport: faults ? faults.transport(transport) : transport,
      scheduler: faults ? faults.scheduler(scheduler) : scheduler,
      projectKey: new FileProjectKeySource(join(PGP_FIXTURES, 'project-secret.asc')),
      clock: options.clock ?? { now: () => new Date() },
      historyClock: options.historyClock,
      log: options.log ?? memoryLogger(),
      ...(options.githubToken ? { githubToken: options.githubToken, githubRetryBaseMs: 1 } : {}),
    });
  }

  return {
    dataDir,
    outboxDir,
    dynamoEndpoint,
    s3Endpoint,
    dynamoClient,
    services,
    async stop() {
      await s3.close();
      await dynamo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Stores = Awaited<ReturnType<typeof startStores>>;

/** The start of a suite against the real local stores: the stores, and the services on them. */
export async function startServices(
  config: EmbargoConfig,
): Promise<{ stores: Stores; services: EmbargoServices }> {
  const stores = await startStores();
  return { stores, services: stores.services({ config }) };
}

/** The end of such a suite: the GnuPG homes it made removed, then the stores stopped. */
export async function stopServices(
  stores: Stores | undefined,
  gnupg: { close(): void }[] = [],
): Promise<void> {
  for (const home of gnupg) home.close();
  await stores?.stop();
}
