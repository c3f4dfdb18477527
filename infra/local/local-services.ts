import { join } from 'node:path';
import { FileProjectKeySource } from '../../shared/adapters/files/file-project-key-source';
import { MaildirMailTransport } from '../../shared/adapters/maildir/maildir-mail-transport';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { EnvironmentGitHubToken } from '../../shared/github-advisory/github-token-source';
import { createServices, type EmbargoServices } from '../../shared/wiring/embargo-services';
import { systemClock, type Clock } from '../../shared/time/clock';
import type { Logger } from '../../shared/logging/logger';
import { ensureCaseTable, localDynamoClient, startLocalDynamo } from './stores/local-dynamodb';
import { LocalNoticeScheduler } from './local-notice-scheduler';
import { localKeyPaths } from './local-project-key';
import { localS3Client, startLocalS3 } from './stores/local-s3';
import { localResources } from './local-settings';
import { readRunningRuntime } from './runtime-file';
import { EmbargoError, errorMessage } from '../../shared/errors';

export interface LocalEndpoints {
  dynamoEndpoint: string;
  s3Endpoint: string;
}

export interface LocalServices {
  services: EmbargoServices;
  scheduler: LocalNoticeScheduler;
  outboxDir: string;
}

/** The services on local stores: the same composition as in AWS, with local adapters. */
export function localServices(
  dataDir: string,
  endpoints: LocalEndpoints,
  config: EmbargoConfig,
  log: Logger,
  clock: Clock = systemClock,
  maxSendRate = 0,
): LocalServices {
  const dynamo = localDynamoClient(endpoints.dynamoEndpoint);
  const scheduler = new LocalNoticeScheduler(dynamo, localResources.tableName);
  const outboxDir = join(dataDir, 'outbox');
  const services = createServices({
    config,
    dynamo,
    tableName: localResources.tableName,
    s3: localS3Client(endpoints.s3Endpoint),
    rawMailBucket: localResources.rawMailBucket,
    rawMailPrefix: localResources.rawMailPrefix,
    caseFilesPrefix: localResources.caseFilesPrefix,
    // Replaces Message-ID and Date and paces sends, as SES does.
    transport: new MaildirMailTransport(outboxDir, { region: localResources.region, maxSendRate }),
    scheduler,
    projectKey: new FileProjectKeySource(localKeyPaths(dataDir).privateKey),
    clock,
    // Another clock is a simulated one (`tick --now`): the history keeps real time.
    historyClock: clock === systemClock ? undefined : systemClock,
    log,
    // Read only when a maintainer's /ghsa first calls GitHub.
    githubToken: new EnvironmentGitHubToken(),
  });
  return { services, scheduler, outboxDir };
}

/**
 * The local stores for a command-line tool: those of the running `npm start` if there is one
 * (its store admits a single opener), otherwise started in this process until `close`.
 */
export async function openLocalStores(
  dataDir: string,
): Promise<{ endpoints: LocalEndpoints; close(): Promise<void> }> {
  const running = readRunningRuntime(dataDir);
  if (running) return { endpoints: running, close: async () => {} };
  let dynamo;
  try {
    dynamo = await startLocalDynamo(dataDir);
  } catch (err) {
    throw new EmbargoError(
      'LOCAL_DATA_UNAVAILABLE',
      `Could not open the local data in ${dataDir}: ${errorMessage(err)}.`,
      'If `npm start` is starting up right now, try again in a moment.',
      { cause: err },
    );
  }
  const s3 = await startLocalS3(dataDir);
  await ensureCaseTable(localDynamoClient(dynamo.endpoint));
  return {
    endpoints: { dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint },
    close: async () => {
      await s3.close();
      await dynamo.close();
    },
  };
}
