/**
 * Who is credited in an advisory, and for what: the roles OSV and GitHub name alike (OSV spells
 * them upper case, CVE with spaces). `/credit [type] <name> [@github-login]`, several separated
 * by ";". Pure.
 */

export const creditTypes = [
  'finder',
  'reporter',
  'analyst',
  'coordinator',
  'remediation_developer',
  'remediation_reviewer',
  'remediation_verifier',
  'tool',
  'sponsor',
  'other',
] as const;
export type CreditType = (typeof creditTypes)[number];

export interface Credit {
  name: string;
  type: CreditType;
  /** A GitHub login, without the "@". */
  github?: string;
}

export type CreditParse = { ok: true; credits: Credit[] } | { ok: false; reason: string };

/** GitHub's rule for user names: alphanumerics and single inner hyphens, at most 39 characters. */
const GITHUB_LOGIN = /^@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$/;
const MAX_NAME = 200;

function creditType(word: string): CreditType | undefined {
  const normal = word.toLowerCase().replace(/-/g, '_');
  return (creditTypes as readonly string[]).includes(normal) ? (normal as CreditType) : undefined;
}

/** First words of the two-word types ("remediation developer"), which are no type alone. */
const TYPE_PREFIXES = new Set(
  creditTypes.filter((t) => t.includes('_')).map((t) => t.split('_')[0]),
);

function parseOne(text: string): Credit | string {
  const words = text.split(/\s+/).filter(Boolean);
  // "remediation developer Max" as well as "remediation_developer Max" or "remediation-developer".
  const spaced = words.length > 2 ? creditType(`${words[0]}_${words[1]}`) : undefined;
  if (spaced) words.splice(0, 2);
  else if (words.length > 1 && TYPE_PREFIXES.has(words[0]!.toLowerCase()))
    return `"${words.slice(0, 2).join(' ')}" is not a credit type; the types are ${creditTypes.map((t) => t.replace(/_/g, ' ')).join(', ')}`;
  const type = spaced ?? (words.length > 1 ? creditType(words[0]!) : undefined);
  if (type && !spaced) words.shift();
  let github: string | undefined;
  const last = words[words.length - 1];
  if (last?.startsWith('@')) {
    const login = GITHUB_LOGIN.exec(last)?.[1];
    if (!login) return `"${last}" is not a GitHub login`;
    github = login;
    words.pop();
  }
  const name = words.join(' ');
  if (!name) return 'a credit needs a name, e.g. /credit finder Alice Example @alice';
  if (name.length > MAX_NAME) return `a credited name is longer than ${MAX_NAME} characters`;
  return { name, type: type ?? 'finder', ...(github ? { github } : {}) };
}

/** Reads `/credit` arguments: `[type] <name> [@login]`, several separated by ";". */
export function parseCredits(text: string): CreditParse {
  const parts = text.split(';').map((p) => p.trim());
  if (parts.every((p) => p === '')) {
    return { ok: false, reason: `/credit needs a name; types: ${creditTypes.join(', ')}` };
  }
  const credits: Credit[] = [];
  for (const part of parts) {
    if (!part) continue;
    const credit = parseOne(part);
    if (typeof credit === 'string') return { ok: false, reason: credit };
    credits.push(credit);
  }
  if (credits.length > 10) return { ok: false, reason: '/credit takes at most 10 names' };
  return { ok: true, credits };
}

/** "Alice Example (finder, @alice)", for mail and summaries. */
export function creditText(credit: Credit): string {
  const role = credit.type.replace(/_/g, ' ');
  return `${credit.name} (${role}${credit.github ? `, @${credit.github}` : ''})`;
}

/** What each type of credit is thanked for in a public notice. */
const THANKED_FOR: Record<CreditType, string> = {
  finder: 'finding the issue',
  reporter: 'reporting the issue',
  analyst: 'analysing the issue',
  coordinator: 'coordinating the disclosure',
  remediation_developer: 'developing the fix',
  remediation_reviewer: 'reviewing the fix',
  remediation_verifier: 'verifying the fix',
  tool: 'the tool that found the issue',
  sponsor: 'sponsoring the work',
  other: 'their help',
};

const andList = new Intl.ListFormat('en', { type: 'conjunction' });

/**
 * The thanks of a public notice, one sentence per type in the order given: "Thanks to Alice
 * (@alice) for finding the issue.", "Thanks to Max for developing the fix.".
 */
export function creditThanks(credits: Credit[]): string[] {
  const byType = new Map<CreditType, string[]>();
  for (const c of credits) {
    const names = byType.get(c.type) ?? [];
    names.push(c.github ? `${c.name} (@${c.github})` : c.name);
    byType.set(c.type, names);
  }
  return [...byType].map(([type, names]) =>
    type === 'tool'
      ? `Found with ${andList.format(names)}.`
      : `Thanks to ${andList.format(names)} for ${THANKED_FOR[type]}.`,
  );
}

/** A case's credits, reading the plain name that cases stored before credits had types. */
export function caseCredits(record: { credits?: Credit[]; credit?: string }): Credit[] {
  if (record.credits) return record.credits;
  const name = record.credit?.trim();
  return name ? [{ name, type: 'finder' }] : [];
}
