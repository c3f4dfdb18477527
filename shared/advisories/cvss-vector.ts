/**
 * CVSS vectors as maintainers type them (`/cvss CVSS:3.1/AV:N/...`), checked and scored with
 * ae-cvss-calculator, an implementation of the FIRST specifications of every CVSS version.
 */
import { Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator';
import { cvssRating, cvssVersions, type CvssScore, type CvssVersion } from './cvss-score';
import { errorMessage } from '../errors';

export type CvssParse = { ok: true; cvss: CvssScore } | { ok: false; reason: string };

/** The base metrics each version requires, in the specification's order. */
const BASE_METRICS: Record<CvssVersion, string[]> = {
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

/** Checks and scores a CVSS 3.1 or 4.0 vector; the reason says what is wrong, in words. */
export function parseCvssVector(text: string): CvssParse {
  const vector = text.trim();
  const prefix = /^CVSS:(\d+\.\d+)\//.exec(vector);
  if (!prefix) {
    return { ok: false, reason: 'a CVSS vector starts with CVSS:3.1/ or CVSS:4.0/' };
  }
  const version = prefix[1] as CvssVersion;
  if (!cvssVersions.includes(version)) {
    return { ok: false, reason: `CVSS ${prefix[1]} is not supported; use CVSS 3.1 or 4.0` };
  }
  const metrics = vector.slice(prefix[0].length).split('/');
  const seen = new Set<string>();
  for (const metric of metrics) {
    const [name, value, ...rest] = metric.split(':');
    if (!name || !value || rest.length > 0) {
      return { ok: false, reason: `"${metric}" is not a metric (want NAME:VALUE, e.g. AV:N)` };
    }
    if (seen.has(name)) return { ok: false, reason: `metric ${name} is given more than once` };
    seen.add(name);
  }
  const missing = BASE_METRICS[version].filter((m) => !seen.has(m));
  if (missing.length > 0) {
    return { ok: false, reason: `the vector lacks the base metric(s) ${missing.join(', ')}` };
  }
  let score: number | undefined;
  try {
    const parsed = version === '3.1' ? new Cvss3P1(vector) : new Cvss4P0(vector);
    if (!parsed.isBaseFullyDefined()) {
      return { ok: false, reason: 'the vector leaves a base metric undefined (X)' };
    }
    score = parsed.calculateScores().base;
  } catch (err) {
    // The calculator names the metric or value it does not know, e.g. "Unknown component value Q for component AV".
    return { ok: false, reason: `not a valid CVSS ${version} vector: ${errorMessage(err)}` };
  }
  if (score === undefined || !Number.isFinite(score)) {
    return { ok: false, reason: `no base score could be computed for this CVSS ${version} vector` };
  }
  return { ok: true, cvss: { version, vector, score, rating: cvssRating(score) } };
}
