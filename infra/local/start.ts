import { configFilePath, loadConfigFile } from '../../shared/config/load-config';
import { requireMaintainerKeys } from '../../shared/config/maintainer-keys';
import { OpenPgpMailCrypto } from '../../shared/pgp/openpgp-mail-crypto';
import { consoleLogger } from './console-logger';
import { readLocalSettings } from './local-settings';
import { startLocalRuntime } from './local-runtime';
import { readRunningRuntime } from './runtime-file';
import { EmbargoError, errorReport } from '../../shared/errors';

/** `npm start`: the whole pipeline in the foreground until Ctrl-C. */
async function main(): Promise<void> {
  const settings = readLocalSettings();
  const config = loadConfigFile();
  // Only public keys are inspected here; the project key is not needed for that.
  const keys = new OpenPgpMailCrypto(() => Promise.reject(new Error('not needed')));
  for (const warning of await requireMaintainerKeys(
    config,
    (k) => keys.inspectKey(k),
    configFilePath(),
  )) {
    console.warn(`Warning: ${warning}.`);
  }
  const running = readRunningRuntime(settings.dataDir);
  if (running) {
    throw new EmbargoError(
      'LOCAL_RUNNING',
      `Embargo is already running for ${settings.dataDir} (pid ${running.pid}, SMTP ${running.smtp}).`,
      'Stop it first, or set EMBARGO_DATA_DIR to run a second instance on other data.',
    );
  }
  const log = consoleLogger();
  const runtime = await startLocalRuntime(settings, config, log);
  const { generated, fingerprint, publicKeyFile } = runtime.projectKey;
  const replaced = generated?.replaced;
  if (replaced) {
    console.log(
      `The project key ${replaced.fingerprint} named ${replaced.userIds.join(', ')}, not ${config.securityAddress}; Embargo had made it and it was never used, so it was replaced (old key kept in ${replaced.backup}).`,
    );
  }
  if (generated) {
    console.log(
      `Generated a project key for ${config.securityAddress} (${fingerprint}); public key in ${publicKeyFile}.`,
    );
  }
  console.log(
    `Embargo is ready: SMTP on ${runtime.smtpAddress} for ${config.securityAddress}, data in ${runtime.dataDir} (outbound mail in ${runtime.outboxDir}). Ctrl-C stops.`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}; finishing accepted mail and stopping...`);
    runtime.stop().then(
      () => {
        console.log('Embargo stopped.');
        process.exit(0);
      },
      (err: Error) => {
        console.error(`Embargo did not stop cleanly: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof EmbargoError) console.error(`Embargo could not start.\n${errorReport(err)}`);
  else if (err instanceof Error) console.error(`Embargo could not start: ${err.message}`);
  else console.error('Embargo could not start:', err);
  process.exit(1);
});
