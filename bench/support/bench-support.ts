import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import type { Logger } from '../../shared/logging/logger';

/** The GnuPG-made keys the tests use (scripts/make-pgp-fixtures.ts). */
export const PGP_FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'pgp');
export const fixture = (name: string): string => readFileSync(join(PGP_FIXTURES, name), 'utf8');

export const SECURITY_ADDRESS = 'security@example.org';
export const REPORTER_DOMAIN = 'reporters.bench.example';

/**
 * Three maintainers with the fixture keys, no distributors: what every report is copied to.
 * The burst's reporters share one domain and send thousands of mails, so the flood limits and
 * the sending budget are lifted here; the flood measurement sets its own (the defaults).
 */
export function benchConfig(): EmbargoConfig {
  return {
    ...defaultConfigFile,
    flood: {
      reportsPerAddress: 100_000,
      reportsPerDomain: 100_000,
      followUpsPerAddress: 100_000,
      followUpsPerDomain: 100_000,
      exemptSenders: [],
    },
    maxMailsPerDay: 1_000_000,
    project: 'example',
    securityAddress: SECURITY_ADDRESS,
    maintainers: [
      {
        name: 'Mia Maintainer',
        email: 'mia@example.org',
        publicKeyArmored: fixture('mia-public.asc'),
      },
      {
        name: 'Max Maintainer',
        email: 'max@example.org',
        publicKeyArmored: fixture('max-public.asc'),
      },
      {
        name: 'Debian Security',
        email: 'security@debian.example',
        publicKeyArmored: fixture('debian-public.asc'),
      },
    ],
  };
}

/** A logger that drops every line but counts warnings and errors by event, to report them. */
export function countingLogger(): Logger & { counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const count = (level: string) => (event: string) =>
    counts.set(`${level}:${event}`, (counts.get(`${level}:${event}`) ?? 0) + 1);
  return { counts, info: () => {}, warn: count('warn'), error: count('error') };
}

/** Peak resident set size of this process so far (Linux VmHWM), in bytes. */
export function peakRssBytes(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error('no VmHWM in /proc/self/status (this bench needs Linux)');
  return Number(kb) * 1024;
}

export const now = (): number => performance.now();

/** Nearest-rank percentile of unsorted values (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export const median = (values: number[]): number => percentile(values, 50);

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

export const MB = 1024 * 1024;

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export const formatMiB = (bytes: number): string => `${(bytes / MB).toFixed(1)} MiB`;
