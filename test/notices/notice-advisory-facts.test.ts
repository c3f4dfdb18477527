import { advanceNoticeText, publicNoticeText } from '../../shared/notices/notice-texts';
import type { CaseRecord } from '../../shared/cases/case-record';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import { parseCvssVector } from '../../shared/advisories/cvss-vector';

const config: EmbargoConfig = { ...defaultConfigFile, project: 'cryptolib' };
const parsed = parseCvssVector('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N');
if (!parsed.ok) throw new Error(parsed.reason);
const record = {
  id: 'SEC-2026-0001',
  status: 'triaged',
  title: 'Out-of-bounds read in the parser',
  severity: 'high',
  cvss: parsed.cvss,
  cwes: ['CWE-125', 'CWE-20'],
  credits: [
    { name: 'Alice Example', type: 'finder', github: 'alice' },
    { name: 'Bob', type: 'remediation_developer' },
  ],
  disclosureAt: '2026-12-10T12:00:00Z',
  advisory: 'Details.',
  history: [],
} as unknown as CaseRecord;

describe('the notices state the scoring and the credits', () => {
  it('in the public notice', () => {
    const { text } = publicNoticeText(record, config);
    // Wrapped at the mail width: the vector continues under the value, not under the label.
    expect(text).toContain(
      `CVSS:           ${parsed.cvss.score.toFixed(1)} high\n                (CVSS:4.0/AV:N`,
    );
    expect(text).toContain('CWE:            CWE-125, CWE-20');
    // By type: a remediation developer is thanked for the fix, not "for the report".
    expect(text).toContain('Thanks to Alice Example (@alice) for finding the issue.');
    expect(text).toContain('Thanks to Bob for developing the fix.');
    expect(text).not.toContain('for the report');
  });

  it('in the advance notice', () => {
    const { text } = advanceNoticeText({
      record,
      config,
      distributor: { name: 'Debian' } as never,
    });
    expect(text).toContain('CVSS:');
    expect(text).toContain('CWE-125, CWE-20');
  });

  it('and leave the lines out when nothing is set', () => {
    const { text } = publicNoticeText({ ...record, cvss: undefined, cwes: undefined }, config);
    expect(text).not.toContain('CVSS:');
    expect(text).not.toContain('CWE:');
  });
});
