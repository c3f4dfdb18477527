import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { saveLocalProjectKey } from '../../infra/local/local-project-key';
import { startLocalRuntime } from '../../infra/local/local-runtime';
import { readProjectKey } from '../../shared/pgp/project-key';
import { countingLogger, fixture } from './bench-support';

/**
 * Local mode as every measurement runs it: the fixture project key in `dataDir`, SMTP on any
 * free port, and the 48-hour watch kept out of the way (in AWS it is its own Lambda on a
 * 15-minute schedule, so it has no place in an intake measurement).
 */
export async function startBenchRuntime(dataDir: string, config: EmbargoConfig) {
  await saveLocalProjectKey(dataDir, await readProjectKey(fixture('project-secret.asc')));
  const log = countingLogger();
  const runtime = await startLocalRuntime(
    {
      dataDir,
      smtpHost: '127.0.0.1',
      smtpPort: 0,
      schedulerTickMs: 1000,
      watchIntervalMs: 3_600_000,
      // The bench measures Embargo's own work; SES's send rate would only add waiting.
      maxSendRate: 0,
    },
    config,
    log,
  );
  return { runtime, log };
}
