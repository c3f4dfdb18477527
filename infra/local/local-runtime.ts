import { join } from 'node:path';
import { intakeHandler } from '../../functions/intake';
import { FileProjectKeySource } from '../../shared/adapters/files/file-project-key-source';
import { MaildirMailTransport } from '../../shared/adapters/maildir/maildir-mail-transport';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { createServices, type EmbargoServices } from '../../shared/embargo-services';
import { systemClock } from '../../shared/ports/clock';
import type { Logger } from '../../shared/ports/logger';
import { LocalAsyncInvoker } from './local-async-invoker';
import { ensureCaseTable, localDynamoClient, startLocalDynamo } from './local-dynamodb';
import { ensureLocalProjectKey, localKeyPaths } from './local-project-key';
import { localS3Client, startLocalS3 } from './local-s3';
import { localResources, type LocalSettings } from './local-settings';
import { removeRuntimeFile, writeRuntimeFile } from './runtime-file';
import { startSmtpGateway } from './smtp-gateway';

export interface LocalRuntime {
  smtpAddress: string;
  projectKey: { fingerprint: string; generated: boolean; publicKeyFile: string };
  dataDir: string;
  outboxDir: string;
  services: EmbargoServices;
  /** Waits until every accepted message has been handled. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local composition root: the same handlers and adapters as in AWS, wired to an SMTP
 * server, in-process DynamoDB- and S3-compatible servers and a Maildir outbox.
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
  const dynamoClient = localDynamoClient(dynamo.endpoint);
  await ensureCaseTable(dynamoClient);
  const outboxDir = join(dataDir, 'outbox');
  const services = createServices({
    config,
    dynamo: dynamoClient,
    tableName: localResources.tableName,
    s3: localS3Client(s3.endpoint),
    rawMailBucket: localResources.rawMailBucket,
    rawMailPrefix: localResources.rawMailPrefix,
    caseFilesPrefix: localResources.caseFilesPrefix,
    transport: new MaildirMailTransport(outboxDir),
    projectKey: new FileProjectKeySource(localKeyPaths(dataDir).privateKey),
    clock: systemClock,
    log,
  });
  const intake = new LocalAsyncInvoker(
    'intake',
    intakeHandler(() => services),
    {
      deadLetterDir: join(dataDir, 'dead-letter'),
      log,
    },
  );
  const smtp = await startSmtpGateway({
    host: settings.smtpHost,
    port: settings.smtpPort,
    securityAddress: config.securityAddress,
    rawMail: services.rawMail,
    deliver: (event, messageId) => intake.invoke(event, messageId),
    log,
  });
  writeRuntimeFile(dataDir, {
    pid: process.pid,
    smtp: smtp.address,
    dynamoEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
  });

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
      removeRuntimeFile(dataDir);
      await s3.close();
      await dynamo.close();
    },
  };
}
