import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const documents = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks and inline code, where links are links. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));
}

function links(file: string): string[] {
  const text = prose(readFileSync(join(ROOT, file), 'utf8'));
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

describe('links in README.md and docs/', () => {
  it.each(documents)('%s links only to files in the repository that exist', (file) => {
    const problems: string[] = [];
    for (const target of links(file)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
      const [path, fragment] = target.split('#') as [string, string | undefined];
      const resolved = path ? resolve(dirname(join(ROOT, file)), path) : join(ROOT, file);
      const inside = relative(ROOT, resolved);
      if (inside.startsWith('..') || inside.startsWith(sep)) {
        problems.push(`${target}: leaves the repository`);
      } else if (!existsSync(resolved)) {
        problems.push(`${target}: no such file`);
      } else if (fragment && statSync(resolved).isFile() && resolved.endsWith('.md')) {
        if (!anchorsOf(resolved).has(fragment)) problems.push(`${target}: no such heading`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('finds the links it checks', () => {
    expect(links('README.md')).toEqual(expect.arrayContaining(['docs/policy.md']));
  });
});
