import { loadConfigFile } from '../../../shared/config/load-config';
import type { Clock } from '../../../shared/time/clock';
import type { EmbargoServices } from '../../../shared/wiring/embargo-services';
import { targetsDeployedStack, withDeployedServices } from './deployed-session';
import { consoleLogger } from '../../local/console-logger';
import { localServices, openLocalStores, type LocalServices } from '../../local/local-services';
import { readLocalSettings } from '../../local/local-settings';

/**
 * Runs a CLI command on the services of the deployed stack (EMBARGO_AWS_FUNCTION) or, by
 * default, of local mode.
 */
export async function withServices<T>(work: (services: EmbargoServices) => Promise<T>): Promise<T> {
  if (targetsDeployedStack()) return withDeployedServices(work);
  return withLocalServices(({ services }) => work(services));
}

/**
 * Runs a CLI command against local mode's data, through the running `npm start` if there is
 * one. Logs go to stderr so that `--json` output stays clean.
 */
export async function withLocalServices<T>(
  work: (local: LocalServices) => Promise<T>,
  clock?: Clock,
): Promise<T> {
  const { dataDir, maxSendRate } = readLocalSettings();
  const config = loadConfigFile();
  const stores = await openLocalStores(dataDir);
  try {
    const log = consoleLogger((line) => process.stderr.write(`${line}\n`));
    return await work(localServices(dataDir, stores.endpoints, config, log, clock, maxSendRate));
  } finally {
    await stores.close();
  }
}
