import { caseCredits, creditText } from '../../shared/advisories/advisory-credits';
import { cvssRating } from '../../shared/advisories/cvss-score';

describe('credits and ratings as mail shows them', () => {
  it('reads the plain name older cases stored as a finder credit', () => {
    expect(caseCredits({ credit: ' Alice ' })).toEqual([{ name: 'Alice', type: 'finder' }]);
    expect(caseCredits({})).toEqual([]);
    const typed = [{ name: 'Bob', type: 'tool' as const }];
    expect(caseCredits({ credits: typed, credit: 'Alice' })).toBe(typed);
  });

  it('writes the role in words and the login with its @', () => {
    expect(creditText({ name: 'Carol', type: 'remediation_reviewer', github: 'carol' })).toBe(
      'Carol (remediation reviewer, @carol)',
    );
  });

  it('rates scores on the specification scale', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(cvssRating)).toEqual([
      'none',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
