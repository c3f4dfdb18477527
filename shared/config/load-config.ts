import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { holdsSecretKey, PUBLIC_KEY_EXPORT } from '../pgp/mail-crypto';
import { ConfigError } from './config-error';
import { defaultConfigFile, embargoConfigFileSchema, type EmbargoConfig } from './embargo-config';
import { flattenOssSecurity } from './oss-security-setting';

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
    const content = readFileSync(keyPath);
    if (holdsSecretKey(content)) {
      // Never read on: the configuration is bundled into every Lambda function by synth.
      problems.push(
        `${where(['maintainers', i, 'publicKeyFile'], raw)}: ${keyPath} holds a SECRET key, not a public key. ${PUBLIC_KEY_EXPORT}`,
      );
      return undefined;
    }
    return content.toString('utf8');
  });
}

/**
 * JSON.parse's message with its character offset ("at position 75") given as line and column,
 * which is what an editor shows.
 */
export function jsonErrorText(err: Error, text: string): string {
  const match = /\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?/.exec(err.message);
  if (!match) return err.message;
  const before = text.slice(0, Number(match[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${err.message.slice(0, match.index)} at line ${line}, column ${column}`;
}

/**
 * Reads `embargo.config.json` (or the file named by EMBARGO_CONFIG). With no file at the default
 * path, local defaults apply; a file named explicitly must exist. Every problem is reported at
 * once, each naming its field.
 */
/** The configuration file `loadConfigFile` reads, for messages that name it. */
export function configFilePath(path = process.env.EMBARGO_CONFIG, cwd = process.cwd()): string {
  return resolve(cwd, path !== undefined && path !== '' ? path : 'embargo.config.json');
}

export function loadConfigFile(
  path = process.env.EMBARGO_CONFIG,
  cwd = process.cwd(),
): EmbargoConfig {
  const explicit = path !== undefined && path !== '';
  const file = configFilePath(path, cwd);
  if (!existsSync(file)) {
    if (explicit) {
      throw new ConfigError(file, [
        'file not found (EMBARGO_CONFIG names it); create it or unset EMBARGO_CONFIG',
      ]);
    }
    return { ...defaultConfigFile, maintainers: [] };
  }
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON: ${jsonErrorText(err as SyntaxError, text)}`]);
  }
  raw = flattenOssSecurity(raw);
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
