import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `npm test` judges the project's files, never a user's: what the README and docs/ tell a user
 * to create in the checkout (the configuration, keys, case pages, published key files) and the
 * data and build folders stay out of the format check, the lint and git (issue #26: a case page
 * or a configuration indented with four spaces made `npm test` fail).
 */
const ROOT = join(__dirname, '..', '..');
const userFiles = [
  'embargo.config.json',
  'embargo.config.staging.json',
  'keys/mia.asc',
  'keys/notes.json',
  'case.html',
  'SEC-2026-0001.html',
  'web/.well-known/security.txt',
  'web/index.json',
  '.embargo/outbox/new/1.embargo',
  '.embargo/runtime.json',
  '.embargo-staging/runtime.json',
  'cdk.out/manifest.json',
  'coverage/lcov-report/index.html',
];
const projectFiles = ['README.md', 'package.json', 'docs/deploy.md', 'bin/embargo.js'];

/**
 * Asks Prettier and ESLint themselves (their APIs load ES modules, which jest's module system
 * does not, so in a node process of its own) which of the files they skip.
 */
function ignoredBy(files: string[]): { prettier: string[]; eslint: string[] } {
  const script = `
    const { ESLint } = require('eslint');
    const files = JSON.parse(process.argv[1]);
    (async () => {
      const prettier = await import('prettier');
      const eslint = new ESLint();
      const out = { prettier: [], eslint: [] };
      for (const file of files) {
        const info = await prettier.getFileInfo(file, { ignorePath: '.prettierignore' });
        if (info.ignored) out.prettier.push(file);
        if (await eslint.isPathIgnored(file)) out.eslint.push(file);
      }
      console.log(JSON.stringify(out));
    })();`;
  const result = spawnSync(process.execPath, ['-e', script, JSON.stringify(files)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe('files a user creates in the checkout', () => {
  const ignored = ignoredBy([...userFiles, ...projectFiles]);

  it('are outside the format check', () => {
    expect(ignored.prettier.sort()).toEqual([...userFiles].sort());
  });

  it('are outside the lint where the lint would read them', () => {
    const linted = (f: string) => /\.(js|mjs|cjs|ts|json)$/.test(f) && !f.startsWith('embargo.');
    expect(userFiles.filter(linted).filter((f) => !ignored.eslint.includes(f))).toEqual([]);
    expect(ignored.eslint).not.toContain('bin/embargo.js');
  });

  it('are ignored by git', () => {
    const result = spawnSync('git', ['check-ignore', '--no-index', ...userFiles, ...projectFiles], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.stdout.trim().split('\n').sort()).toEqual([...userFiles].sort());
  });
});
