import { closest, distance } from 'fastest-levenshtein';

/**
 * How far a typo may be from a known field and still be suggested: about a third of the name
 * (publicKey -> publicKeyFile is 4 of 13), so unrelated words get no suggestion.
 */
function nearEnough(typo: string, known: string): boolean {
  return (
    distance(typo.toLowerCase(), known.toLowerCase()) <= Math.max(2, Math.ceil(known.length / 3))
  );
}

/** The known field a misspelt one most likely meant, if any is close. */
export function suggestField(typo: string, known: readonly string[]): string | undefined {
  if (!known.length) return undefined;
  const match = closest(typo, [...known]);
  return nearEnough(typo, match) ? match : undefined;
}

/** `unknown field "publicKey" (did you mean "publicKeyFile"?)`, one clause per field. */
export function describeUnknownFields(keys: readonly string[], known: readonly string[]): string {
  return keys
    .map((key) => {
      const suggestion = suggestField(key, known);
      return suggestion
        ? `unknown field "${key}" (did you mean "${suggestion}"?)`
        : `unknown field "${key}" (known fields: ${known.join(', ')})`;
    })
    .join('; ');
}

/**
 * The `error` option for a strict zod object (full zod or zod/mini): unknown fields are named
 * with the known field each resembles; every other issue keeps zod's own message.
 */
export function unknownFieldsError(shape: object) {
  const known = Object.keys(shape);
  return (issue: { code?: string; keys?: string[] }): string | undefined =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? describeUnknownFields(issue.keys, known)
      : undefined;
}
