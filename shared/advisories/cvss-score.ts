/**
 * A CVSS score as cases keep it, and how it is named: no calculator needed, so that a function
 * that only shows a score (notices, summaries) does not carry one (cvss-vector.ts checks and
 * scores vectors).
 */
export const cvssVersions = ['3.1', '4.0'] as const;
export type CvssVersion = (typeof cvssVersions)[number];

/** A checked vector with its base score and the specification's rating for that score. */
export interface CvssScore {
  version: CvssVersion;
  vector: string;
  score: number;
  rating: 'none' | 'low' | 'medium' | 'high' | 'critical';
}

/** Qualitative severity rating scale, the same in CVSS 3.1 (section 5) and 4.0. */
export function cvssRating(score: number): CvssScore['rating'] {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** "9.8 critical (CVSS:3.1/AV:N/...)", for mail and summaries. */
export function cvssText(cvss: CvssScore): string {
  return `${cvss.score.toFixed(1)} ${cvss.rating} (${cvss.vector})`;
}
