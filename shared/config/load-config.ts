import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from './config-error';
import { defaultConfigFile, embargoConfigFileSchema, type EmbargoConfig } from './embargo-config';
import { errorMessage } from '../errors';

/** `maintainers.0 (Mia)`: the entry a problem is in, by the name written there if there is one. */
function where(path: PropertyKey[], raw: unknown): string {
  if (!path.length) return '(top level)';
  const [list, index] = path;
  const text = path.map(String).join('.');
  if (list !== 'maintainers' || typeof index !== 'number') return text;
  const entry = (raw as { maintainers?: unknown[] } | null)?.maintainers?.[index];
  const name = (entry as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.trim() ? `${text} (${name.trim()})` : text;
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) => (value && typeof value === 'object' ? (value as never)[key] : undefined),
    raw,
  );
}

function describeIssues(error: z.ZodError, raw: unknown): string[] {
  return error.issues.map((issue) => {
    // zod words a missing field as a wrong value ("must be an email address"); say it is missing.
    const missing = issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined;
    return `${where(issue.path, raw)}: ${missing ? 'missing; this field is required' : issue.message}`;
  });
}

/**
 * The key files the entries name, read relative to the configuration file; problems say which
 * entry and which file. Checked even when other fields are wrong, so one run reports all.
 */
function readKeyFiles(raw: unknown, file: string, problems: string[]): (string | undefined)[] {
  const entries = (raw as { maintainers?: unknown } | null)?.maintainers;
  if (!Array.isArray(entries)) return [];
  return entries.map((entry: unknown, i) => {
    const keyFile = (entry as { publicKeyFile?: unknown } | null)?.publicKeyFile;
    if (typeof keyFile !== 'string' || !keyFile) return undefined;
    const keyPath = resolve(dirname(file), keyFile);
    if (!existsSync(keyPath)) {
      problems.push(
        `${where(['maintainers', i, 'publicKeyFile'], raw)}: file not found: ${keyPath}`,
      );
      return undefined;
    }
    return readFileSync(keyPath, 'utf8');
  });
}

/**
 * Reads `embargo.config.json` (or the file named by EMBARGO_CONFIG). With no file at the default
 * path, local defaults apply; a file named explicitly must exist. Every problem is reported at
 * once, each naming its field.
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
    throw new ConfigError(file, [`not valid JSON: ${errorMessage(err)}`]);
  }
  const parsed = embargoConfigFileSchema.safeParse(raw);
  const problems = parsed.success ? [] : describeIssues(parsed.error, raw);
  const keys = readKeyFiles(raw, file, problems);
  if (!parsed.success || problems.length) throw new ConfigError(file, problems);

  const maintainers = parsed.data.maintainers.map((m, i) => ({
    name: m.name,
    email: m.email,
    ...(keys[i] !== undefined ? { publicKeyArmored: keys[i] } : {}),
    ...(m.encryptedMail !== undefined ? { encryptedMail: m.encryptedMail } : {}),
  }));
  return { ...parsed.data, maintainers };
}
