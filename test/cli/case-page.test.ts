import { caseHtmlPage } from '../../infra/cli/output/case-page';
import { chainEvents } from '../../shared/cases/case-history';
import type { CaseEvent } from '../../shared/cases/case-record';
import { caseRecord } from '../support/case-builder';
import { testConfig } from '../support/local-stores';

const events: CaseEvent[] = [
  {
    id: 'opened',
    at: '2026-12-01T09:00:00Z',
    type: 'opened',
    actor: 'a@example.net',
    summary: 'Report received',
  },
  {
    id: 'commands:1',
    at: '2026-12-01T10:00:00Z',
    type: 'commands-applied',
    actor: 'mia@example.org',
    summary: 'Commands: /severity high',
    changes: ['severity: (unset) → high'],
  },
  {
    id: 'follow-up:1',
    at: '2026-12-01T11:00:00Z',
    type: 'follow-up',
    actor: 'a@example.net',
    summary: 'Follow-up',
  },
];

describe('the case page', () => {
  it('says the audit chain is intact when every entry verifies', () => {
    const page = caseHtmlPage(
      caseRecord('SEC-2026-0001', { history: chainEvents([], events) }),
      testConfig,
    );
    expect(page).toContain('Hash chain intact: all 3 entries verify.');
    expect(page).not.toContain('BROKEN');
  });

  it('names the first entry that no longer verifies when the stored history was changed', () => {
    const history = chainEvents([], events);
    history[1] = { ...history[1]!, changes: ['severity: (unset) → low'] };
    const page = caseHtmlPage(caseRecord('SEC-2026-0001', { history }), testConfig);
    expect(page).toContain('HASH CHAIN BROKEN at entry 2 (commands:1)');
    expect(page).not.toContain('Hash chain intact');
  });

  it('shows nothing ahead for a disclosed case, and marks a notice that is due', () => {
    const disclosed = caseRecord('SEC-2026-0001', {
      disclosureAt: '2026-12-10T12:00:00.000Z',
      disclosedAt: '2026-12-10T12:00:05.000Z',
      status: 'disclosed',
    });
    expect(caseHtmlPage(disclosed, testConfig)).toContain('<p>Nothing scheduled.</p>');
    const pending = caseRecord('SEC-2026-0001', { disclosureAt: '2026-12-10T12:00:00.000Z' });
    const page = caseHtmlPage(pending, testConfig, new Date('2026-12-05T00:00:00Z'));
    expect(page).toMatch(
      /2026-12-03 12:00 UTC<\/span> <span class="type">advance notice[^<]*<\/span> <span class="detail">\(due\)/,
    );
    expect(page).toMatch(
      /2026-12-10 12:00 UTC<\/span> <span class="type">public disclosure<\/span><\/li>/,
    );
  });
});
