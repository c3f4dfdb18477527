import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CaseNotFoundError,
  EmbargoError,
  errorCodes,
  errorMessage,
  errorReport,
} from '../shared/errors';
import { ConfigError } from '../shared/config/config-error';
import { PreflightError } from '../infra/aws/preflight/preflight-error';

/** The rows of docs/errors.md's code table: `| \`CODE\` | meaning |`. */
function documentedCodes(): Record<string, string> {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'errors.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` +\| (.+?) +\|$/gm)];
  return Object.fromEntries(rows.map(([, code, meaning]) => [code!, meaning!]));
}

describe('error codes', () => {
  it('are documented in docs/errors.md, each with the meaning the code gives it, and no others', () => {
    expect(documentedCodes()).toEqual(errorCodes);
  });

  it('are carried by every kind of error, with the reason and the action apart', () => {
    const config = new ConfigError('embargo.config.json', ['project: missing']);
    const preflight = new PreflightError('REGION_WITHOUT_RECEIVING', 'No SES here.', 'Move.');
    const missing = new CaseNotFoundError('SEC-2026-0001');
    for (const err of [config, preflight, missing]) expect(err).toBeInstanceOf(EmbargoError);
    expect(config.code).toBe('CONFIG_INVALID');
    expect(config.reason).toBe(
      'Invalid configuration in embargo.config.json:\n  - project: missing',
    );
    expect(config.message).toBe(`${config.reason}\n${config.action}`);
    expect(missing.message).toBe(`${missing.reason} ${missing.action}`);
    expect(missing.name).toBe('CaseNotFoundError');
  });

  it('read to a person as code, reason and what to do', () => {
    expect(errorReport(new CaseNotFoundError('SEC-2026-0001'))).toBe(
      'Error CASE_NOT_FOUND: There is no case SEC-2026-0001.\n' +
        'To do: Run `npx embargo cases` to list the case ids.',
    );
  });

  it('leave anything thrown readable', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('a string')).toBe('a string');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
