import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGP_FIXTURES, SECURITY_ADDRESS } from '../support/bench-support';
import { runChild, type ChildRun } from '../support/child-cpu';

/** How to get Schleuder where it is missing (the Debian package; it runs offline here). */
export const SCHLEUDER_INSTALL_HINT = 'apt-get install schleuder';

/** The installed Schleuder's version, or undefined when `schleuder` is not on the PATH. */
export function schleuderVersion(): string | undefined {
  const run = spawnSync('schleuder', ['version'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return undefined;
  return run.stdout.trim().split('\n').pop();
}

/**
 * Makes the list and its subscribers through Schleuder's Ruby API (ListBuilder, then
 * List#subscribe with each key), as `schleuder-cli` would through the API daemon. The first
 * subscriber is the list's admin (Schleuder refuses to run a list without one).
 */
const MAKE_LIST_RB = `
require 'schleuder'
list, _ = Schleuder::ListBuilder.new({ email: ARGV[0], fingerprint: ARGV[1] }).run
abort("list: #{list.errors.full_messages.join(', ')}") if list.nil? || list.errors.any?
ARGV[2..].each_slice(2).with_index do |(email, keyfile), i|
  sub, _ = list.subscribe(email, nil, i.zero?, true, File.read(keyfile))
  abort("subscriber #{email}: #{sub.errors.full_messages.join(', ')}") if sub.errors.any?
end
puts list.subscriptions.count
`;

export interface SchleuderList {
  /** The list's GnuPG home: its gpg-agent does the private-key work. */
  gnupgHome: string;
  /** `schleuder work <list> < message`, measured. */
  work(raw: Buffer): Promise<ChildRun>;
}

function failed(what: string, run: ChildRun): Error {
  return new Error(
    `Schleuder: ${what} failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().slice(0, 500)}`,
  );
}

/**
 * A Schleuder installation of its own in `dir` (config, sqlite database, list folders), its
 * mail going to `smtpPort` on this machine: the list is the security address with the project
 * key, and the subscribers are the bench's maintainers with their keys.
 */
export async function setUpSchleuderList(
  dir: string,
  smtpPort: number,
  subscribers: { email: string; keyFile: string }[],
  listFingerprint: string,
): Promise<SchleuderList> {
  const config = join(dir, 'schleuder.yml');
  writeFileSync(
    config,
    [
      `lists_dir: ${join(dir, 'lists')}`,
      `listlogs_dir: ${join(dir, 'logs')}`,
      `keyword_handlers_dir: ${join(dir, 'keyword_handlers')}`,
      `filters_dir: ${join(dir, 'filters')}`,
      'log_level: warn',
      'superadmin: root@localhost',
      'keyserver:',
      'smtp_settings:',
      '  address: 127.0.0.1',
      `  port: ${smtpPort}`,
      '  enable_starttls_auto: false',
      'database:',
      '  production:',
      '    adapter: sqlite3',
      `    database: ${join(dir, 'db.sqlite')}`,
      '    timeout: 5000',
      '',
    ].join('\n'),
  );
  const env = {
    ...process.env,
    SCHLEUDER_CONFIG: config,
    SCHLEUDER_LIST_DEFAULTS: '/etc/schleuder/list-defaults.yml',
  };
  const installed = await runChild('schleuder', ['install'], { env, cwd: dir });
  if (installed.status !== 0) throw failed('schleuder install', installed);

  // The list's key is the project key, imported where Schleuder keeps the list's keyring.
  const [local, domain] = [
    SECURITY_ADDRESS.slice(0, SECURITY_ADDRESS.indexOf('@')),
    SECURITY_ADDRESS.slice(SECURITY_ADDRESS.indexOf('@') + 1),
  ];
  const gnupgHome = join(dir, 'lists', domain!, local!);
  mkdirSync(gnupgHome, { recursive: true });
  chmodSync(gnupgHome, 0o700);
  const imported = await runChild('gpg', [
    '--homedir',
    gnupgHome,
    '--batch',
    '--import',
    join(PGP_FIXTURES, 'project-secret.asc'),
  ]);
  if (imported.status !== 0) throw failed('importing the project key', imported);

  const script = join(dir, 'make-list.rb');
  writeFileSync(script, MAKE_LIST_RB);
  const made = await runChild(
    'ruby',
    [
      script,
      SECURITY_ADDRESS,
      listFingerprint,
      ...subscribers.flatMap((s) => [s.email, join(PGP_FIXTURES, s.keyFile)]),
    ],
    { env, cwd: dir },
  );
  if (made.status !== 0) throw failed('making the list', made);

  return {
    gnupgHome,
    work: async (raw) => {
      const run = await runChild('schleuder', ['work', SECURITY_ADDRESS], {
        env,
        cwd: dir,
        input: raw,
      });
      if (run.status !== 0) throw failed('schleuder work', run);
      return run;
    },
  };
}
