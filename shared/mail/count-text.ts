const english = new Intl.PluralRules('en-US');

/**
 * A count with its noun in the right number: `1 day`, `7 days`, `0 distributors`. The plural is
 * the noun with an s unless given; the rule (one or other) is Intl.PluralRules' for English.
 */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${english.select(n) === 'one' ? singular : plural}`;
}
