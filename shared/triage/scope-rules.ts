import type { EmbargoConfig } from '../config/embargo-config';
import { termMatcher } from './text-terms';

export type OutOfScopeRule = EmbargoConfig['outOfScope'][number];

/** A rule a report matched, and the words of the report that matched it. */
export interface ScopeMatch {
  id: string;
  term: string;
}

/**
 * The `outOfScope` rules a report matches: its text and the names of its attachments (a patch
 * to `examples/`) are searched. Shown to the maintainers, never acted on.
 */
export function matchingScopeRules(
  text: string,
  attachmentNames: string[],
  rules: readonly OutOfScopeRule[],
): ScopeMatch[] {
  const searched = [text, ...attachmentNames].join('\n');
  return rules.flatMap((rule) => {
    const term = termMatcher(rule)(searched);
    return term === undefined ? [] : [{ id: rule.id, term }];
  });
}
