import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from './config-error';
import { defaultConfigFile, embargoConfigFileSchema, type EmbargoConfig } from './embargo-config';

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join('.') : '(top level)';
    return `${path}: ${issue.message}`;
  });
}

/**
 * Reads `embargo.config.json` (or the file named by EMBARGO_CONFIG). With no file at the default
 * path, local defaults apply; a file named explicitly must exist.
 */
export function loadConfigFile(
  path = process.env.EMBARGO_CONFIG,
  cwd = process.cwd(),
): EmbargoConfig {
  const explicit = path !== undefined && path !== '';
  const file = resolve(cwd, explicit ? path : 'embargo.config.json');
  if (!existsSync(file)) {
    if (explicit) {
      throw new ConfigError(file, [
        'file not found (EMBARGO_CONFIG names it); create it or unset EMBARGO_CONFIG',
      ]);
    }
    return { ...defaultConfigFile, maintainers: [] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  const parsed = embargoConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, describeIssues(parsed.error));

  const problems: string[] = [];
  const maintainers = parsed.data.maintainers.map((m, i) => {
    if (!m.publicKeyFile) return { name: m.name, email: m.email };
    const keyPath = resolve(dirname(file), m.publicKeyFile);
    if (!existsSync(keyPath)) {
      problems.push(`maintainers.${i}.publicKeyFile: ${keyPath} does not exist`);
      return { name: m.name, email: m.email };
    }
    return { name: m.name, email: m.email, publicKeyArmored: readFileSync(keyPath, 'utf8') };
  });
  if (problems.length) throw new ConfigError(file, problems);
  return { ...parsed.data, maintainers };
}
