import stringWidth from 'string-width';
import { caseDetails, casesTable } from '../../infra/cli/output/case-views';
import { caseHtmlPage } from '../../infra/cli/output/case-page';
import type { CaseRecipient } from '../../shared/cases/case-recipient';
import { caseRecord } from '../support/case-builder';
import { testConfig } from '../support/local-stores';

const D = '2027-01-15T12:00:00.000Z';
const OLD = '2027-01-10T12:00:00.000Z';
/** The rounds as notice-round.ts names them: the date, then how many times it changed. */
const ROUND = `${D}/1`;
const OLD_ROUND = OLD;
const signed = { method: 'pgp-signature', fingerprint: 'F'.repeat(40) } as const;

const recipients: CaseRecipient[] = [
  {
    address: 'security@debian.example',
    name: 'Debian',
    noticeSent: { at: '2027-01-08T12:00:00.000Z', round: ROUND },
    confirmed: { at: '2027-01-08T15:00:00.000Z', round: ROUND },
    status: { value: 'affected', detail: '1.2-3', at: '2027-01-08T15:00:00.000Z', round: ROUND },
    lastWord: {
      at: '2027-01-08T15:00:00.000Z',
      summary: '/status affected 1.2-3',
      authentication: signed,
    },
  },
  {
    address: 'secalert@fedora.example',
    name: 'Fedora <script>',
    noticeSent: { at: '2027-01-08T12:00:00.000Z', round: ROUND },
    confirmed: { at: '2027-01-04T09:00:00.000Z', round: OLD_ROUND },
    lastWord: {
      at: '2027-01-09T09:00:00.000Z',
      summary: 'we are on it',
      authentication: { method: 'none' },
    },
  },
  {
    address: 'ops@suse.example',
    name: 'SUSE',
    noticeSent: { at: '2027-01-08T12:00:00.000Z', round: ROUND },
  },
];
const record = caseRecord('SEC-2026-0001', {
  subject: 'Heap overflow in the ASN.1 parser when reading a certificate',
  disclosureAt: D,
  dateChanges: 1,
  recipients,
});

describe('silence visible to maintainers: every recipient for the current date', () => {
  it('the case view: sent, confirmed (or only the old date), status, last word and how it was signed', () => {
    const text = caseDetails(record).replace(/\n +/g, ' ');
    expect(text).toContain('Recipients  1/3 2 silent (for the date 2027-01-15 12:00 UTC)');
    expect(text).toContain(
      'Debian <security@debian.example> sent 2027-01-08 12:00Z; confirmed 2027-01-08 15:00Z; status affected 1.2-3 last word 2027-01-08 15:00Z /status affected 1.2-3 (signed)',
    );
    expect(text).toContain(
      'NOT for this date (confirmed the old date 2027-01-10 12:00 UTC); status - last word 2027-01-09 09:00Z we are on it (UNSIGNED)',
    );
    expect(text).toContain(
      'SUSE <ops@suse.example> sent 2027-01-08 12:00Z; SILENT (not confirmed)',
    );
  });

  it('`cases`: a compact column that fits 80 columns, shown once some case has recipients', () => {
    const table = casesTable([record, caseRecord('SEC-2026-0002')], new Date(), {
      style: { colour: false, width: 80 },
    });
    for (const line of table.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(table).toMatch(/│ Confirmed +│/);
    expect(table).toMatch(/│ 1\/3 2 silent │/);
    const without = casesTable([caseRecord('SEC-2026-0002')], new Date(), {
      style: { colour: false, width: 80 },
    });
    expect(without).not.toContain('Confirmed');
  });

  it('the case page: a table of the recipients, the silent marked, every value escaped', () => {
    const page = caseHtmlPage(record, testConfig, new Date('2027-01-14T00:00:00Z'));
    expect(page).toContain('<h2>Distributors</h2>');
    expect(page).toContain('Fedora &lt;script&gt;');
    expect(page).not.toContain('Fedora <script>');
    expect(page).toMatch(/<tr class="silent"><td>SUSE<br>/);
    expect(page).not.toMatch(/<tr class="silent"><td>Debian/);
    expect(page).toContain('confirmed the old date 2027-01-10 12:00 UTC');
    // The schedule ahead names the summary before D, until it has gone.
    expect(page).toMatch(
      /2027-01-14 12:00 UTC<\/span> <span class="type">summary of the distributors/,
    );
  });
});
