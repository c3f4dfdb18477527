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

describe('the case page, what it shows', () => {
  const config = { ...testConfig, ossSecurity: 'oss-security@lists.example' };
  const record = caseRecord('SEC-2026-0001', {
    title: 'Heap overflow',
    severity: 'critical',
    cvss: {
      version: '3.1',
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      score: 9.8,
      rating: 'critical',
    },
    cwes: ['CWE-787'],
    credits: [{ name: 'Max', type: 'remediation_developer' }],
    advisory: 'Line one <b>\nLine two',
    patches: [{ filename: 'fix.patch', key: 'k', sha256: 'ab'.repeat(32), bytes: 10 }],
    disclosureAt: '2026-12-10T12:00:00.000Z',
    disclosedAt: '2026-12-10T12:00:05.000Z',
    status: 'disclosed',
    exploitHeld: true,
    history: chainEvents([], events),
  });

  it('states CVSS, CWE, credits, patches and the advisory (escaped)', () => {
    const page = caseHtmlPage(record, config);
    expect(page).toContain('<th>CVSS</th><td>9.8 critical (CVSS:3.1/AV:N');
    expect(page).toContain('<th>CWE</th><td>CWE-787</td>');
    expect(page).toContain('<th>Credits</th><td>Max (remediation developer)</td>');
    expect(page).toContain(`<th>Patches</th><td>fix.patch (SHA-256 ${'ab'.repeat(32)})</td>`);
    expect(page).toContain('<pre class="advisory">Line one &lt;b&gt;\nLine two</pre>');
  });

  it('lists the pending oss-security reminder after disclosure, not "Nothing scheduled"', () => {
    const page = caseHtmlPage(record, config, new Date('2026-12-12T00:00:00Z'));
    expect(page).not.toContain('Nothing scheduled');
    expect(page).toContain(
      '2026-12-17 12:00 UTC</span> <span class="type">reminder to post the exploits held back to oss-security@lists.example',
    );
  });

  it('puts time line dots on the entries only, not on their lists of changes', () => {
    const page = caseHtmlPage(record, config);
    expect(page).toContain('ol.timeline > li::before');
    expect(page).not.toMatch(/ol\.timeline li::before/);
  });
});

describe('the case page, triage (#28)', () => {
  it('shows the ending with its time and reason, the labels, and notes in the history', () => {
    const note: CaseEvent = {
      id: 'note:1',
      at: '2026-12-02T09:00:00Z',
      type: 'note',
      actor: 'mia@example.org',
      summary: 'Note (maintainers only): asked <Bob> to check',
    };
    const page = caseHtmlPage(
      caseRecord('SEC-2026-0001', {
        status: 'closed',
        resolution: 'invalid',
        resolutionReason: 'not reproducible',
        resolvedAt: '2026-12-03T10:00:00.000Z',
        labels: ['needs-info', 'parser'],
        history: chainEvents([], [...events, note]),
      }),
      testConfig,
    );
    expect(page).toContain('closed (invalid)');
    expect(page).toContain('2026-12-03 10:00 UTC: not reproducible');
    expect(page).toContain('needs-info, parser');
    expect(page).toContain('Note (maintainers only): asked &lt;Bob&gt; to check');
  });
});
