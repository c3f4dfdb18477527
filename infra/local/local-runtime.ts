import { join } from 'node:path';
import { ackWatchHandler } from '../../functions/ack-watch';
import { intakeHandler } from '../../functions/intake';
import { noticesHandler } from '../../functions/notices';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import type { Logger } from '../../shared/logging/logger';
import { LocalAsyncInvoker } from './local-async-invoker';
import { ensureCaseTable, localDynamoClient, startLocalDynamo } from './stores/local-dynamodb';
import { ensureLocalProjectKey, localKeyPaths, type LocalProjectKey } from './local-project-key';
import { startLocalS3 } from './stores/local-s3';
import { LocalSchedulerLoop } from './local-scheduler-loop';
import { localServices } from './local-services';
import type { LocalSettings } from './local-settings';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file';
import { startSmtpGateway } from './smtp-gateway';

export interface LocalRuntime {
  smtpAddress: string;
  projectKey: {
    fingerprint: string;
    generated: LocalProjectKey['generated'];
    publicKeyFile: string;
  };
  dataDir: string;
  outboxDir: string;
  services: EmbargoServices;
  /** Waits until every accepted message has been handled. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local composition root: the same handlers and adapters as in AWS, wired to an SMTP
 * server, in-process DynamoDB- and S3-compatible servers, a Maildir outbox and a scheduler.
 */
export async function startLocalRuntime(
  settings: LocalSettings,
  config: EmbargoConfig,
  log: Logger,
): Promise<LocalRuntime> {
  const { dataDir } = settings;
  const projectKey = await ensureLocalProjectKey(dataDir, config);
  const dynamo = await startLocalDynamo(dataDir);
  const s3 = await startLocalS3(dataDir);
  await ensureCaseTable(localDynamoClient(dynamo.endpoint));
  const endpoints = { dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint };
  const { services, scheduler, outboxDir } = localServices(
    dataDir,
    endpoints,
    config,
    log,
    undefined,
    settings.maxSendRate,
  );

  const intake = new LocalAsyncInvoker(
    'intake',
    intakeHandler(() => services, log),
    {
      deadLetterDir: join(dataDir, 'dead-letter'),
      log,
    },
  );
  const loop = new LocalSchedulerLoop(
    scheduler,
    noticesHandler(() => services, log),
    ackWatchHandler(() => services),
    log,
  );
  loop.start({ tickMs: settings.schedulerTickMs, watchMs: settings.watchIntervalMs });
  const smtp = await startSmtpGateway({
    host: settings.smtpHost,
    port: settings.smtpPort,
    securityAddress: config.securityAddress,
    rawMail: services.rawMail,
    // Turns by the envelope sender's domain: a flood from a few domains does not hold up others.
    deliver: (event, messageId, sender) =>
      intake.invoke(event, messageId, sender.slice(sender.lastIndexOf('@') + 1).toLowerCase()),
    log,
  });
  writeRuntimeFile(dataDir, { pid: process.pid, smtp: smtp.address, ...endpoints });

  return {
    smtpAddress: smtp.address,
    projectKey: {
      fingerprint: projectKey.key.fingerprint,
      generated: projectKey.generated,
      publicKeyFile: localKeyPaths(dataDir).publicKey,
    },
    dataDir,
    outboxDir,
    services,
    drain: () => intake.drain(),
    async stop() {
      // Stop taking mail first, finish what was accepted, then close the stores.
      await smtp.close();
      await intake.drain();
      await loop.stop();
      removeRuntimeFile(dataDir);
      await s3.close();
      await dynamo.close();
    },
  };
}
