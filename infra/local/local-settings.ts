import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../shared/config/config-error';

const settingsSchema = z.object({
  EMBARGO_DATA_DIR: z.string().min(1).default('.embargo'),
  EMBARGO_SMTP_PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0 (any free port) to 65535')
    .max(65535, 'must be 0 (any free port) to 65535')
    .default(2525),
  EMBARGO_SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  EMBARGO_SCHEDULER_TICK_SECONDS: z.coerce.number().positive().max(3600).default(1),
  EMBARGO_WATCH_INTERVAL_SECONDS: z.coerce.number().positive().max(86400).default(60),
  // SES's maximum send rate once out of the sandbox starts at 14 a second; 0 paces nothing.
  EMBARGO_MAX_SEND_RATE: z.coerce.number().min(0).max(1000).default(14),
});

export interface LocalSettings {
  dataDir: string;
  smtpPort: number;
  smtpHost: string;
  schedulerTickMs: number;
  watchIntervalMs: number;
  /** Sends a second that the Maildir stand-in allows, as SES's maximum send rate. */
  maxSendRate: number;
}

/** Local mode's settings from the environment, validated with one message per bad variable. */
export function readLocalSettings(env: NodeJS.ProcessEnv = process.env): LocalSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      'the environment',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  return {
    dataDir: resolve(parsed.data.EMBARGO_DATA_DIR),
    smtpPort: parsed.data.EMBARGO_SMTP_PORT,
    smtpHost: parsed.data.EMBARGO_SMTP_HOST,
    schedulerTickMs: parsed.data.EMBARGO_SCHEDULER_TICK_SECONDS * 1000,
    watchIntervalMs: parsed.data.EMBARGO_WATCH_INTERVAL_SECONDS * 1000,
    maxSendRate: parsed.data.EMBARGO_MAX_SEND_RATE,
  };
}

/** Fixed names of the local resources; in AWS they come from the stack. */
export const localResources = {
  tableName: 'embargo-cases',
  rawMailBucket: 'embargo-raw-mail',
  rawMailPrefix: 'inbound/',
  caseFilesPrefix: 'case-files/',
  region: 'us-east-1',
} as const;
