/**
 * `"ossSecurity": { "address": "…", "post": "send" }` is the setting's object form: the same
 * as `"ossSecurity": "…", "ossSecurityPost": "send"`, which is what the rest of the code reads.
 * It is turned into that form before the file is checked, so a mistake in it is still named by
 * the field it was written in (`ossSecurity`, `ossSecurityPost`).
 */
export function flattenOssSecurity(raw: unknown): unknown {
  if (!isRecord(raw) || !isRecord(raw['ossSecurity'])) return raw;
  const { address, post, ...rest } = raw['ossSecurity'];
  // Anything else in the object is left for the schema to refuse as it reads it.
  if (Object.keys(rest).length) return raw;
  const flat: Record<string, unknown> = { ...raw, ossSecurity: address };
  if (post !== undefined) flat['ossSecurityPost'] = post;
  return flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
