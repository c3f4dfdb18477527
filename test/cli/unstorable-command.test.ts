import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../infra/cli/embargo-cli';
import { withLocalServices } from '../../infra/cli/sessions/local-session';
import { caseRecord } from '../support/case-builder';

// `embargo command` against local mode's own stores (dynalite enforces DynamoDB's 400 KB item).
const dir = mkdtempSync(join(tmpdir(), 'embargo-unstorable-command-'));

beforeAll(async () => {
  process.env.EMBARGO_DATA_DIR = join(dir, 'data');
  process.env.EMBARGO_CONFIG = '';
  await withLocalServices(
    async ({ services }) => {
      await services.cases.createIfAbsent(caseRecord('SEC-2026-0001', { title: 'Overflow' }));
    },
    undefined,
    { create: true },
  );
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a command whose value the table cannot store fails once, saying what to do, and changes nothing', async () => {
  const errors: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((m: string) => void errors.push(m));
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  const code = await runCli([
    'node',
    'embargo',
    'command',
    'SEC-2026-0001',
    '/advisory',
    'The parser overflows. '.repeat(20_000),
  ]);
  spy.mockRestore();
  log.mockRestore();
  expect(code).toBe(1);
  const text = errors.join('\n');
  expect(text).toContain('VALUE_UNSTORABLE');
  expect(text).toContain('from the command line, give a shorter value');
  await withLocalServices(async ({ services }) => {
    expect((await services.cases.get('SEC-2026-0001' as never))?.advisory).toBeUndefined();
  });
}, 120_000);
