import Table from 'cli-table3';
import { tableOptions } from './output/terminal-style';
import type { Command } from 'commander';
import { loadConfigFile } from '../../shared/config/load-config';
import { groupFingerprint } from '../../shared/pgp/fingerprint-text';
import { OpenPgpMailCrypto } from '../../shared/pgp/openpgp-mail-crypto';

export function addMaintainerCli(program: Command): void {
  const maintainer = program
    .command('maintainer')
    .description('the maintainers from embargo.config.json');
  maintainer
    .command('list')
    .description('show the maintainers and their key fingerprints')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfigFile();
      // Only public keys are inspected here; no project key is needed.
      const crypto = new OpenPgpMailCrypto(() => Promise.reject(new Error('not needed')));
      const rows = await Promise.all(
        config.maintainers.map(async (m) => {
          const key = m.publicKeyArmored ? await crypto.inspectKey(m.publicKeyArmored) : undefined;
          return {
            name: m.name,
            email: m.email,
            fingerprint: key?.usable ? key.fingerprint : undefined,
            problem: !key ? 'no public key configured' : key.usable ? undefined : key.problem,
          };
        }),
      );
      if (opts.json) return console.log(JSON.stringify(rows, null, 2));
      if (!rows.length)
        return console.log('No maintainers are configured (embargo.config.json "maintainers").');
      const table = new Table(tableOptions(['Name', 'Email', 'Key fingerprint']));
      for (const r of rows) {
        table.push([
          r.name,
          r.email,
          r.fingerprint ? groupFingerprint(r.fingerprint) : `UNUSABLE: ${r.problem}`,
        ]);
      }
      console.log(table.toString());
    });
}
