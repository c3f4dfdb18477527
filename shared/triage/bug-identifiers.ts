/**
 * What identifies a bug in a report, beyond its wording: ids (CVE, GHSA, CWE), file paths,
 * function and symbol names, crash frames and sanitizer findings, URLs and versions. Two reports
 * that name the same of these are likely about the same bug, and the names are reasons a person
 * can check.
 */
export const identifierKinds = [
  'cve',
  'ghsa',
  'cwe',
  'path',
  'symbol',
  'frame',
  'sanitizer',
  'url',
  'version',
] as const;
export type IdentifierKind = (typeof identifierKinds)[number];

export interface BugIdentifier {
  kind: IdentifierKind;
  /** Normalised (ids upper case, symbols and paths as written). */
  value: string;
}

/** How many identifiers of one report are kept: a long log must not fill the case record. */
export const MAX_IDENTIFIERS = 120;

const CODE_EXTENSIONS =
  'c|h|cc|cpp|cxx|hpp|hh|rs|go|py|rb|js|mjs|cjs|ts|tsx|jsx|java|kt|scala|php|cs|swift|m|mm|pl|pm|lua|sh|erl|ex|exs|hs|ml|zig|nim|dart|vue|svelte|erb|twig|jsp|asp|aspx|xml|yml|yaml|json|toml|ini|conf|cfg|html|htm|sql';

const patterns: Array<{ kind: IdentifierKind; regex: RegExp; group?: number }> = [
  { kind: 'cve', regex: /\bCVE-\d{4}-\d{4,7}\b/gi },
  { kind: 'ghsa', regex: /\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b/gi },
  { kind: 'cwe', regex: /\bCWE-\d{1,4}\b/gi },
  { kind: 'url', regex: /\bhttps?:\/\/[^\s<>"'`)\]]+/gi },
  // `#3 0x4f2a1b in parse_chunk_size src/http/chunked.c:88`: the frame's function.
  { kind: 'frame', regex: /#\d+\s+0x[0-9a-f]+\s+in\s+([A-Za-z_][\w:<>~.]*)/g, group: 1 },
  {
    kind: 'sanitizer',
    regex: /\b((?:Address|UndefinedBehavior|Memory|Thread|Leak)Sanitizer:?\s+[a-z][\w-]*)/g,
    group: 1,
  },
  {
    kind: 'path',
    regex: new RegExp(
      String.raw`(?<![\w/.:-])((?:[\w.-]+/)*[\w-]+\.(?:${CODE_EXTENSIONS}))(?::\d+)?\b`,
      'g',
    ),
    group: 1,
  },
  // snake_case, camelCase, Qualified::names and call forms like `foo()`; not CapitalisedNames,
  // which are more often products (GitHub, JavaScript) than symbols.
  {
    kind: 'symbol',
    regex:
      /(?<![\w/.-])((?:[A-Za-z_][\w]*(?:::|->|\.|#))*(?:[a-z]+_[\w]+|_[A-Za-z]\w*|[a-z]+[A-Z]\w*|[A-Za-z_]\w*(?=\(\)|\(\w)))(?![\w/])/g,
    group: 1,
  },
  {
    kind: 'version',
    regex: /(?<![\w.-])v?(\d+\.\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)(?!\w|\.\w)/g,
    group: 1,
  },
];

/** Identifiers that say nothing about a bug (common words in call form, the language). */
const uninformativeSymbols = new Set(['eval', 'e.g', 'i.e', 'etc', 'printf', 'malloc', 'free']);

function normalise(kind: IdentifierKind, raw: string): string | undefined {
  switch (kind) {
    case 'cve':
    case 'ghsa':
    case 'cwe':
      return raw.toUpperCase();
    case 'url':
      // Trailing punctuation belongs to the sentence; the fragment and scheme say nothing.
      return raw
        .replace(/[.,;:!?]+$/, '')
        .replace(/#.*$/, '')
        .replace(/^https?:\/\//i, '')
        .toLowerCase();
    case 'symbol': {
      const value = raw.replace(/^[#.]+|[.]+$/g, '');
      return value.length < 4 || uninformativeSymbols.has(value.toLowerCase()) ? undefined : value;
    }
    case 'frame':
    case 'path':
      return raw;
    case 'sanitizer':
      return raw.replace(/\s+/g, ' ').replace(/:/, '');
    case 'version':
      return raw;
  }
}

/** The identifiers of a text, each once, in the order they first appear (at most MAX_IDENTIFIERS). */
export function bugIdentifiers(text: string): BugIdentifier[] {
  const found = new Map<string, BugIdentifier & { at: number }>();
  for (const { kind, regex, group } of patterns) {
    for (const match of text.matchAll(regex)) {
      const raw = match[group ?? 0];
      if (!raw) continue;
      const value = normalise(kind, raw);
      if (!value) continue;
      const key = `${kind}:${value}`;
      if (!found.has(key)) found.set(key, { kind, value, at: match.index ?? 0 });
    }
  }
  return [...found.values()]
    .sort((a, b) => a.at - b.at)
    .slice(0, MAX_IDENTIFIERS)
    .map(({ kind, value }) => ({ kind, value }));
}
