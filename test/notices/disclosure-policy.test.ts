import { disclosurePolicyWarnings } from '../../shared/notices/disclosure-policy';
import { caseRecord } from '../support/case-builder';
import { testConfig } from '../support/local-stores';

const now = new Date('2026-12-01T10:00:00Z'); // a Tuesday
const config = { ...testConfig, advanceNoticeDays: 7, urgentNoticeDays: 1, maxEmbargoDays: 14 };

const warningsFor = (fields: Parameters<typeof caseRecord>[1], settings = config) =>
  disclosurePolicyWarnings(caseRecord('SEC-2026-0001', fields), settings, now);

describe('policy checks on a disclosure date', () => {
  it('has nothing against a weekday date with the full advance period ahead', () => {
    expect(warningsFor({ disclosureAt: '2026-12-16T12:00:00.000Z' })).toEqual([]);
  });

  it('warns when a postponement keeps distributors under embargo past maxEmbargoDays from their first notice', () => {
    const fields = {
      disclosureAt: '2026-12-23T12:00:00.000Z',
      advanceNoticesSent: ['2026-12-08T12:00:00.000Z'],
      history: [
        {
          id: 'advance-notice:2026-12-08T12:00:00.000Z',
          at: '2026-12-01T09:00:00.000Z',
          type: 'advance-notice' as const,
          actor: 'security@example.org',
          summary: 'Advance notice sent',
        },
      ],
    };
    const [warning, ...rest] = warningsFor(fields);
    expect(rest).toEqual([]);
    expect(warning).toContain('under embargo for 22.1 days');
    expect(warning).toContain('from their first advance notice on 2026-12-01 09:00 UTC');
    expect(warning).toContain('longer than the 14 days');
    expect(warningsFor(fields, { ...config, maxEmbargoDays: 30 })).toEqual([]);
  });

  it('warns when the advance period itself is longer than the policy allows', () => {
    const warnings = warningsFor(
      { disclosureAt: '2027-01-20T12:00:00.000Z' },
      { ...config, advanceNoticeDays: 21 },
    );
    expect(warnings.join('\n')).toContain('under embargo for 21 days');
  });

  it('warns about a date on a weekend (UTC)', () => {
    const [warning] = warningsFor({ disclosureAt: '2026-12-19T12:00:00.000Z' });
    expect(warning).toContain('is a Saturday (UTC)');
  });

  it('warns when the advance notice is already due, and when distributors get less than a day', () => {
    const soon = warningsFor({ disclosureAt: '2026-12-04T12:00:00.000Z' });
    expect(soon).toHaveLength(1);
    expect(soon[0]).toContain('The advance notice was due on 2026-11-27 12:00 UTC');
    const tomorrow = warningsFor({ disclosureAt: '2026-12-02T06:00:00.000Z' });
    expect(tomorrow.join('\n')).toContain('less than one day');
    expect(tomorrow.join('\n')).toContain('was due on');
  });

  it('says nothing for an upstream announcement, which has no embargo of its own', () => {
    expect(warningsFor({ kind: 'upstream', disclosureAt: '2026-12-19T12:00:00.000Z' })).toEqual([]);
  });
});
