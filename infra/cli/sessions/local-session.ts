import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../../../shared/config/load-config';
import { EmbargoError } from '../../../shared/errors';
import { readRunningRuntime } from '../../local/runtime-file';
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
export async function withServices<T>(
  work: (services: EmbargoServices) => Promise<T>,
  options: LocalDataOptions = {},
): Promise<T> {
  if (targetsDeployedStack()) return withDeployedServices(work);
  return withLocalServices(({ services }) => work(services), undefined, options);
}

export interface LocalDataOptions {
  /**
   * Whether the command may create local mode's data where there is none yet (it says so): a
   * setup step such as `distributor add`. Other commands refuse, so that a mistyped
   * EMBARGO_DATA_DIR is not answered with an empty store ("No cases yet").
   */
  create?: boolean;
}

/** Where local mode's case table lives under a data folder: its presence means Embargo data. */
const storeOf = (dataDir: string) => join(dataDir, 'dynamodb');

function requireLocalData(dataDir: string, options: LocalDataOptions): void {
  if (existsSync(storeOf(dataDir)) || readRunningRuntime(dataDir)) return;
  if (options.create) {
    console.error(
      `Created local mode's data in ${dataDir} (EMBARGO_DATA_DIR); \`npm start\` uses it.`,
    );
    return;
  }
  const named = process.env.EMBARGO_DATA_DIR ? 'EMBARGO_DATA_DIR names' : 'the default';
  throw new EmbargoError(
    'LOCAL_DATA_MISSING',
    `There is no Embargo data in ${dataDir} (${named}); nothing was created.`,
    process.env.EMBARGO_DATA_DIR
      ? 'Check EMBARGO_DATA_DIR for a typo, or run `npm start` once with it to create the data there.'
      : 'Run `npm start` once (it creates the data), or set EMBARGO_DATA_DIR to where your data is.',
  );
}

/**
 * Runs a CLI command against local mode's data, through the running `npm start` if there is
 * one. Logs go to stderr so that `--json` output stays clean.
 */
export async function withLocalServices<T>(
  work: (local: LocalServices) => Promise<T>,
  clock?: Clock,
  options: LocalDataOptions = {},
): Promise<T> {
  const { dataDir, maxSendRate } = readLocalSettings();
  requireLocalData(dataDir, options);
  const config = loadConfigFile();
  const stores = await openLocalStores(dataDir);
  try {
    const log = consoleLogger((line) => process.stderr.write(`${line}\n`));
    return await work(localServices(dataDir, stores.endpoints, config, log, clock, maxSendRate));
  } finally {
    await stores.close();
  }
}
