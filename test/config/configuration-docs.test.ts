import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfigFile, embargoConfigFileSchema } from '../../shared/config/embargo-config';

const doc = readFileSync(join(__dirname, '../../docs/configuration.md'), 'utf8');

/** The rows of the first table after `heading`: field name and default, as written. */
function documented(heading: string): Map<string, string> {
  const start = doc.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`docs/configuration.md has no heading "${heading}"`);
  const rows = new Map<string, string>();
  let inTable = false;
  for (const line of doc.slice(start).split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const row = /^\| `([^`]+)`\s*\| (.*?)\s*\|/.exec(line);
    if (row) rows.set(row[1]!, row[2]!);
    else if (inTable && !line.startsWith('|')) break;
    inTable ||= line.startsWith('|');
  }
  return rows;
}

const keysOf = (shape: object) => Object.keys(shape).sort();
const listed = (rows: Map<string, string>) => [...rows.keys()].sort();
const shape = embargoConfigFileSchema.shape;

describe('docs/configuration.md', () => {
  it('lists every top-level field of the schema, and no other, with the default the code applies', () => {
    const rows = documented('## Fields');
    expect(listed(rows)).toEqual(keysOf(shape));
    for (const [field, written] of rows) {
      const value = (defaultConfigFile as Record<string, unknown>)[field];
      expect([field, written]).toEqual([
        field,
        value === undefined ? '(none)' : `\`${JSON.stringify(value)}\``,
      ]);
    }
  });

  it('lists every field of the flood settings, with the default the code applies', () => {
    const rows = documented('### `flood`');
    expect(listed(rows)).toEqual(keysOf(shape.flood.unwrap().shape));
    for (const [field, written] of rows)
      expect([field, written]).toEqual([
        field,
        `\`${JSON.stringify((defaultConfigFile.flood as Record<string, unknown>)[field])}\``,
      ]);
  });

  it('lists every field of a maintainer entry and of an upstream sender', () => {
    expect(listed(documented('### `maintainers[]`'))).toEqual(
      keysOf(shape.maintainers.unwrap().element.shape),
    );
    expect(listed(documented('### `upstreamSenders[]`'))).toEqual(
      keysOf(shape.upstreamSenders.unwrap().element.shape),
    );
  });
});
