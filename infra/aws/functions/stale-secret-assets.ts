import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { embedsArmoredSecretKey } from '../../../shared/pgp/mail-crypto';

/**
 * Asset files under a synth output folder that hold an armored secret key. Assets are kept by
 * content hash, so a bundle written by an earlier synth (with a secret key in the configuration
 * then) stays in cdk.out after the configuration is fixed, and would be uploaded by a deploy
 * that reuses the folder.
 */
export function assetsWithSecretKeys(outdir: string): string[] {
  if (!existsSync(outdir)) return [];
  const found: string[] = [];
  const visit = (path: string) => {
    for (const name of readdirSync(path)) {
      const entry = join(path, name);
      const stat = statSync(entry);
      if (stat.isDirectory()) visit(entry);
      else if (stat.isFile() && embedsArmoredSecretKey(readFileSync(entry, 'latin1')))
        found.push(entry);
    }
  };
  for (const name of readdirSync(outdir)) {
    if (name.startsWith('asset.')) visit(join(outdir, name));
  }
  return found;
}
