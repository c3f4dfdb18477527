import { mailEffects } from '../../shared/commands/command-effects';
import { caseRecord } from '../support/case-builder';
import { testConfig } from '../support/local-stores';

const DAY = 86_400_000;
const now = new Date('2030-03-01T09:00:00.000Z');

/** What `/disclose` says it schedules for the recipients' follow-up (the CLI and the mail). */
function outlook(days: number) {
  const date = new Date(now.getTime() + days * DAY).toISOString();
  const before = caseRecord('SEC-2026-0001', { advisory: 'x' });
  const after = { ...before, disclosureAt: date };
  return mailEffects(
    before,
    after,
    [],
    {
      fields: { disclosureAt: date },
      changes: [`disclosure: (unset) → ${date}`],
      internal: false,
      wantsStatus: false,
    },
    { config: testConfig, now, distributors: [{ name: 'Debian', usable: true }], maintainers: 2 },
  ).map((e) => `${e.when}: ${e.text}`);
}

describe('the outlook of /disclose names the reminder and the summary before D', () => {
  it('schedules both for a date weeks ahead', () => {
    expect(outlook(20)).toEqual(
      expect.arrayContaining([
        'scheduled: one reminder to each recipient that has not confirmed the date 2 days after its notice, and who is silent to 2 maintainers',
        'scheduled: the summary of the recipients (confirmed, affected, silent) to 2 maintainers on 2030-03-20 09:00 UTC',
      ]),
    );
  });

  it('promises no reminder that would fall after D, and no summary for a date less than a day ahead', () => {
    const soon = outlook(0.5).join('\n');
    expect(soon).not.toContain('one reminder');
    expect(soon).not.toContain('summary of the recipients');
  });
});
