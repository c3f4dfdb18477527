import type { EmbargoConfig } from '../config/embargo-config';
import { termMatcher, type MatchTerms } from './text-terms';

/** A fact the project asks every report for, in its own words, and how to tell a report has it. */
export interface ReportRequirement extends MatchTerms {
  id: string;
  ask: string;
}

/** What the acknowledgment asks for when `reportRequirements` is left out of the configuration. */
export const DEFAULT_REPORT_REQUIREMENTS: readonly ReportRequirement[] = [
  {
    id: 'version',
    ask: 'the affected version: the release, or the commit, you found it in',
    keywords: ['version', 'release', 'commit', 'tag'],
    // 1.2, v3.0.1, a commit hash.
    patterns: ['\\bv?\\d+\\.\\d+(?:\\.\\d+)?\\b', '\\b[0-9a-f]{12,40}\\b'],
  },
  {
    id: 'reproduction',
    ask: 'how to reproduce it: the steps, an input file or a proof of concept',
    keywords: ['reproduce', 'reproducer', 'steps', 'proof of concept', 'poc', 'to trigger', 'run'],
    patterns: [],
  },
  {
    id: 'impact',
    ask: 'the impact: what an attacker can do with it, and under which conditions',
    keywords: ['impact', 'attacker', 'allows', 'leads to', 'results in', 'exploit'],
    patterns: [],
  },
];

/** The configured requirements, or the defaults when the configuration leaves them out. */
export function reportRequirements(config: EmbargoConfig): readonly ReportRequirement[] {
  return config.reportRequirements ?? DEFAULT_REPORT_REQUIREMENTS;
}

/** The ids of the requirements the text does not meet, in the configuration's order. */
export function missingRequirements(
  text: string,
  requirements: readonly ReportRequirement[],
): string[] {
  return requirements.filter((r) => termMatcher(r)(text) === undefined).map((r) => r.id);
}
