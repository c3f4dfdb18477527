/** CWE ids as maintainers type them (`/cwe CWE-125, CWE-787`). Pure. */

const CWE_ID = /^CWE-([1-9]\d{0,5})$/i;

export type CweParse = { ok: true; cwes: string[] } | { ok: false; reason: string };

/**
 * Reads one or more CWE ids separated by commas or spaces ("CWE-125, cwe-787"; "125" is taken
 * as CWE-125). The spelling is the one the CVE record format requires (`CWE-[1-9][0-9]*`).
 */
export function parseCweIds(text: string): CweParse {
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  if (tokens.length === 0) return { ok: false, reason: '/cwe needs at least one id, e.g. CWE-125' };
  const cwes: string[] = [];
  for (const token of tokens) {
    const match = CWE_ID.exec(/^\d+$/.test(token) ? `CWE-${token}` : token);
    if (!match?.[1]) return { ok: false, reason: `"${token}" is not a CWE id (e.g. CWE-125)` };
    const id = `CWE-${match[1]}`;
    if (!cwes.includes(id)) cwes.push(id);
  }
  if (cwes.length > 10) return { ok: false, reason: '/cwe takes at most 10 ids' };
  return { ok: true, cwes };
}
