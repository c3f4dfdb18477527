/** What tells that a text has something: words or phrases, and regular expressions. */
export interface MatchTerms {
  keywords: string[];
  patterns: string[];
}

/**
 * Only the start of a long report is searched: what a report says about its version, steps or
 * scope is near its top, and a maintainer's pattern then never runs over megabytes.
 */
export const SEARCHED_CHARACTERS = 200_000;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORD = /[\p{L}\p{N}_]/u;

/**
 * A keyword as a regular expression: case-insensitive, whitespace in it matching any run of
 * whitespace, and bounded where it begins or ends with a letter or digit, so that "poc" does
 * not match "epoch" while "examples/" still matches "examples/demo.c".
 */
function keywordExpression(keyword: string): RegExp {
  const body = keyword.trim().split(/\s+/).map(escape).join('\\s+');
  const start = WORD.test(keyword.trim()[0] ?? '') ? '(?<![\\p{L}\\p{N}_])' : '';
  const end = WORD.test(keyword.trim().at(-1) ?? '') ? '(?![\\p{L}\\p{N}_])' : '';
  return new RegExp(`${start}${body}${end}`, 'iu');
}

/** A matcher for a set of terms: the first term the text holds (as written there), if any. */
export function termMatcher(terms: MatchTerms): (text: string) => string | undefined {
  const expressions = [
    ...terms.keywords.map(keywordExpression),
    ...terms.patterns.map((source) => new RegExp(source, 'iu')),
  ];
  return (text) => {
    const searched = text.slice(0, SEARCHED_CHARACTERS);
    for (const expression of expressions) {
      const found = expression.exec(searched);
      if (found) return found[0];
    }
    return undefined;
  };
}
