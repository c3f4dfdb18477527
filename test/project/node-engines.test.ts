import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

/**
 * `engines` in package.json is true: every Node it admits runs every installed package (npm ci
 * warned that content-type and dns2 need Node 22 while engines said 20), its lowest release line
 * is the one the Lambdas run on, and the README names it.
 */
const ROOT = join(__dirname, '..', '..');
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const manifest = read('package.json') as { engines: { node: string } };
const lock = read('package-lock.json') as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};
const engines = manifest.engines.node;

describe('the Node versions the project states', () => {
  it('admit no Node that an installed package refuses', () => {
    const refusing = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (!path || !range || !semver.validRange(range)) return [];
      return semver.subset(engines, range) ? [] : [`${path} needs node ${range}`];
    });
    expect(refusing).toEqual([]);
    expect(lock.packages['']?.engines).toEqual({ node: engines });
  });

  it('start with the Lambda runtime, and the README says so', () => {
    const fn = readFileSync(join(ROOT, 'infra/aws/functions/embargo-function.ts'), 'utf8');
    const runtime = /lambda\.Runtime\.NODEJS_(\d+)_X/.exec(fn)?.[1];
    const lowest = semver.minVersion(engines)!;
    expect(String(lowest.major)).toBe(runtime);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(
      `Node ${lowest.major}.${lowest.minor}`,
    );
  });
});
