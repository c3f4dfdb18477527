/**
 * Writes the hostile-input corpus of test/hostile as .eml files with a manifest of the expected
 * outcomes, for inspection or for feeding other tools: `npx tsx scripts/write-hostile-corpus.ts <dir>`.
 * (The messages that need an existing case are built inside the test and are not written.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { staticCorpus } from '../test/hostile/hostile-corpus';

const out = resolve(process.argv[2] ?? 'hostile-corpus');
mkdirSync(out, { recursive: true });
const manifest = staticCorpus().map((entry) => {
  const file = `${entry.name}.eml`;
  writeFileSync(join(out, file), entry.raw);
  return {
    file,
    category: entry.category,
    envelopeFrom: entry.envelopeFrom,
    expected: entry.expected,
  };
});
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
console.log(`Wrote ${manifest.length} messages and manifest.json to ${out}`);
