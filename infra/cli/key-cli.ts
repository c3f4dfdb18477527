import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { read } from 'read';
import { loadConfigFile } from '../../shared/config/load-config';
import { groupFingerprint } from '../../shared/pgp/fingerprint-text';
import { EmbargoError } from '../../shared/errors';
import { splitAddress } from '../../shared/addresses/security-address';
import { securityTxt, wkdHash } from '../../shared/pgp/key-publication';
import { ProjectKeyError, readProjectKey, type ProjectKey } from '../../shared/pgp/project-key';
import {
  backUpLocalProjectKey,
  generateLocalProjectKey,
  localKeyPaths,
  markLocalProjectKeyPublished,
  saveLocalProjectKey,
} from '../local/local-project-key';
import { readArmoredKeyFile } from './key-file';
import { userIdsName } from '../../shared/addresses/user-id-address';
import { readLocalSettings } from '../local/local-settings';
import { readRunningRuntime } from '../local/runtime-file';
import { targetsDeployedStack } from './sessions/deployed-session';

async function passphrase(): Promise<string> {
  const fromEnv = process.env.EMBARGO_KEY_PASSPHRASE;
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new EmbargoError(
      'PROJECT_KEY_LOCKED',
      'The key is protected by a passphrase and there is no terminal to ask for it.',
      'Set EMBARGO_KEY_PASSPHRASE.',
    );
  }
  return read({ prompt: 'Passphrase for the key: ', silent: true, replace: '*' });
}

async function localProjectKey(): Promise<ProjectKey> {
  const { privateKey } = localKeyPaths(readLocalSettings().dataDir);
  let armored: string;
  try {
    armored = await readFile(privateKey, 'utf8');
  } catch {
    throw new EmbargoError(
      'PROJECT_KEY_MISSING',
      `There is no project key at ${privateKey} yet.`,
      'Run `npm start` once to generate one, or `npx embargo key import <file>`.',
    );
  }
  return readProjectKey(armored);
}

function describe(key: ProjectKey): string {
  return [
    `Fingerprint  ${groupFingerprint(key.fingerprint)}`,
    ...key.userIds.map((uid, i) => `${i ? '            ' : 'User ids   '}  ${uid}`),
    `Created      ${key.privateKey.getCreationTime().toISOString()}`,
  ].join('\n');
}

function localModeOnly(): void {
  if (targetsDeployedStack()) {
    throw new EmbargoError(
      'WRONG_MODE',
      'The key commands work on local mode; a deployed stack keeps its key in Secrets Manager.',
      'See docs/deploy.md, "Import the project key".',
    );
  }
}

export function addKeyCli(program: Command): void {
  const key = program
    .command('key')
    .description("manage the project's OpenPGP key (local mode)")
    .hook('preAction', localModeOnly);

  key
    .command('show')
    .description('print the project key fingerprint and user ids')
    .action(async () => console.log(describe(await localProjectKey())));

  key
    .command('import')
    .argument(
      '<file>',
      'armored private key, e.g. from `gpg --armor --export-secret-keys <fingerprint>`',
    )
    .description(
      'replace the project key with an existing one (passphrase from EMBARGO_KEY_PASSPHRASE or a prompt)',
    )
    .action(async (file: string) => {
      const armored = await readArmoredKeyFile(file, 'private');
      let imported: ProjectKey;
      try {
        imported = await readProjectKey(armored);
      } catch (err) {
        if (!(err instanceof ProjectKeyError) || !/passphrase/.test(err.message)) throw err;
        imported = await readProjectKey(armored, await passphrase());
      }
      const config = loadConfigFile();
      const { dataDir } = readLocalSettings();
      const backup = await backUpLocalProjectKey(dataDir);
      await saveLocalProjectKey(dataDir, imported);
      console.log(`Imported the project key:\n${describe(imported)}`);
      if (backup) console.log(`The key it replaces is kept in ${backup}.`);
      if (!userIdsName(imported.userIds, config.securityAddress)) {
        console.warn(
          `Warning: no user id of this key names ${config.securityAddress}; reporters' tools may not find it.`,
        );
      }
      if (readRunningRuntime(dataDir)) console.log('Restart `npm start` to use the new key.');
    });

  key
    .command('generate')
    .option('--replace', 'replace the current key (it is kept as a timestamped backup)')
    .description('make a new project key for the configured security address')
    .action(async (opts: { replace?: boolean }) => {
      const config = loadConfigFile();
      const { dataDir } = readLocalSettings();
      if (readRunningRuntime(dataDir)) {
        throw new EmbargoError(
          'LOCAL_RUNNING',
          'Embargo is running on this data and holds the current key.',
          'Stop `npm start` first, then run this again.',
        );
      }
      const paths = localKeyPaths(dataDir);
      let backup: string | undefined;
      try {
        await readFile(paths.privateKey);
        if (!opts.replace) {
          throw new EmbargoError(
            'OUTPUT_EXISTS',
            `There is a project key already (${paths.privateKey}).`,
            'Add --replace to make a new one; the current one is kept as a backup.',
          );
        }
        backup = await backUpLocalProjectKey(dataDir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const generated = await generateLocalProjectKey(dataDir, config);
      console.log(`Generated the project key:\n${describe(generated)}`);
      if (backup) console.log(`The key it replaces is kept in ${backup}.`);
      console.log('Publish the new public key: `npx embargo key publish --out <dir>`.');
    });

  key
    .command('publish')
    .requiredOption('--out <dir>', 'folder to write the web files into')
    .option(
      '--base-url <url>',
      'where the folder will be served (default: https://<domain of the security address>)',
    )
    .description(
      'write the public key, security.txt (RFC 9116) and Web Key Directory files for the web site',
    )
    .action(async (opts: { out: string; baseUrl?: string }) => {
      const project = await localProjectKey();
      const config = loadConfigFile();
      const domain = splitAddress(config.securityAddress)?.domain ?? 'example.org';
      const base = (opts.baseUrl ?? `https://${domain}`).replace(/\/$/, '');
      const out = resolve(opts.out);
      const wellKnown = join(out, '.well-known');
      const hu = join(wellKnown, 'openpgpkey', 'hu');
      await mkdir(hu, { recursive: true });
      const written = [
        [join(out, 'pgp-key.asc'), project.armoredPublicKey],
        [
          join(wellKnown, 'security.txt'),
          securityTxt({
            securityAddress: config.securityAddress,
            keyUrl: `${base}/pgp-key.asc`,
            canonicalUrl: `${base}/.well-known/security.txt`,
            expires: new Date(Date.now() + 365 * 24 * 3600 * 1000),
          }),
        ],
        [join(hu, wkdHash(config.securityAddress)), Buffer.from(project.publicKey.write())],
        [join(wellKnown, 'openpgpkey', 'policy'), ''],
      ] as const;
      for (const [path, content] of written) await writeFile(path, content);
      await markLocalProjectKeyPublished(readLocalSettings().dataDir);
      console.log(`Wrote, to be served at ${base}:`);
      for (const [path] of written) console.log(`  ${path}`);
      console.log('security.txt expires in one year: publish it again before then.');
    });
}
