import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { z } from 'zod';

/**
 * The mail, MIME and OpenPGP packages Embargo parses hostile input with: no copy of one may be
 * older than the release that fixed a published advisory (advisory-floors.json), and the
 * address parser that reads inbound mail (mailparser's nodemailer) is the pinned release.
 */
const ROOT = join(__dirname, '..', '..');
const floorsFile = z.object({
  about: z.string(),
  packages: z.record(
    z.string(),
    z.array(
      z.object({
        floor: z.string().refine((v) => semver.valid(v) !== null, 'a version'),
        advisory: z.string().regex(/^(GHSA(-[23456789cfghjmpqrvwx]{4}){3}|CVE-\d{4}-\d{4,})$/),
        about: z.string().min(1),
      }),
    ),
  ),
});
const floors = floorsFile.parse(
  JSON.parse(readFileSync(join(__dirname, 'advisory-floors.json'), 'utf8')),
);
const lock = z
  .object({ packages: z.record(z.string(), z.object({ version: z.string().optional() })) })
  .parse(JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')));
const manifest = z
  .object({
    dependencies: z.record(z.string(), z.string()),
    overrides: z.record(z.string(), z.unknown()).optional(),
  })
  .parse(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')));

/** Every copy of a package in the lock file: where it is and its version. */
function copiesOf(name: string): { path: string; version: string }[] {
  return Object.entries(lock.packages)
    .filter(([path]) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`))
    .map(([path, entry]) => ({ path, version: entry.version ?? '' }));
}

/** The advisories a lock file's copies fall short of, as lines for people. */
export function belowFloors(
  packages: typeof floors.packages,
  copies: (name: string) => { path: string; version: string }[],
): string[] {
  return Object.entries(packages).flatMap(([name, advisories]) =>
    copies(name).flatMap(({ path, version }) =>
      advisories
        .filter((a) => !semver.valid(version) || semver.lt(version, a.floor))
        .map(
          (a) =>
            `${path} is ${version || 'of no version'}, below ${a.floor} which fixed ${a.advisory} (${a.about}): update it, or pin it with "overrides" in package.json`,
        ),
    ),
  );
}

describe('mail, MIME and OpenPGP packages', () => {
  it('are all in the lock file, so that none of the floors checks nothing', () => {
    expect(Object.keys(floors.packages).filter((name) => !copiesOf(name).length)).toEqual([]);
  });

  it('have no copy below a release that fixed a known advisory', () => {
    expect(belowFloors(floors.packages, copiesOf)).toEqual([]);
  });

  it('would be caught below a floor (the check itself works)', () => {
    const old = (name: string) =>
      name === 'nodemailer'
        ? [
            { path: 'node_modules/mailparser/node_modules/nodemailer', version: '7.0.6' },
            { path: 'node_modules/nodemailer', version: '10.6.1' },
          ]
        : [];
    const found = belowFloors(floors.packages, old);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((line) => line.startsWith('node_modules/mailparser/'))).toBe(true);
    expect(found.join('\n')).toContain('GHSA-mm7p-fcc7-pg87');
  });

  it("pins inbound mail's address parser: one nodemailer, the exact release package.json names", () => {
    const pinned = manifest.dependencies.nodemailer;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.overrides?.nodemailer).toBe('$nodemailer');
    expect([...new Set(copiesOf('nodemailer').map((c) => c.version))]).toEqual([pinned]);
    const mailparser = lock.packages['node_modules/mailparser'];
    expect(mailparser).toBeDefined();
    expect(lock.packages['node_modules/mailparser/node_modules/nodemailer']).toBeUndefined();
  });
});
