import type { CaseRecord } from '../../shared/cases/case-record';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import {
  advanceNoticeText,
  notifiedSummaryText,
  publicNoticeText,
  reporterDateText,
} from '../../shared/notices/notice-texts';

const config: EmbargoConfig = {
  ...defaultConfigFile,
  project: 'a-project-with-a-rather-long-name',
  supportedReleases: ['3.4.x', '3.3.x'],
};
// The advisory is the maintainers' text: sent as written, long lines and code included.
const code =
  '    if (len > sizeof(buf)) return -1; /* a line of code longer than the mail width, kept as it is */';
const record = {
  id: 'SEC-2026-0001',
  status: 'triaged',
  title: 'Heap overflow in the header parser when a header is longer than 4096 bytes',
  severity: 'high',
  affected: '>= 3.0.0, < 3.4.2 and every 3.3.x release before 3.3.9 on all platforms',
  fixed: '3.4.2, 3.3.9',
  credits: [{ name: 'Alice Example of Example Security Research Laboratories', type: 'finder' }],
  disclosureAt: '2026-12-10T12:00:00Z',
  advisory: `The parser overflows.\n${code}`,
  patches: [{ filename: 'fix-header-overflow.patch', key: 'k', sha256: 'ab'.repeat(32), bytes: 1 }],
  history: [],
} as unknown as CaseRecord;

const overlong = (text: string) =>
  text.split('\n').filter((line) => line.length > 78 && line !== code);

describe('outgoing notices wrap their own words at the mail width', () => {
  it.each([
    [
      'the advance notice',
      advanceNoticeText({ record, config, distributor: { name: 'Debian' } as never }).text,
    ],
    ['the reporter’s date notice', reporterDateText(record, config).text],
    ['the public notice', publicNoticeText(record, config).text],
    [
      'the summary to maintainers',
      notifiedSummaryText({ record, notified: ['Debian'], skipped: [], updated: false }).text,
    ],
  ])('%s has no line over 78 characters but the advisory’s own', (_name, text) => {
    expect(overlong(text)).toEqual([]);
  });

  it('keeps the advisory as written', () => {
    const { text } = advanceNoticeText({
      record,
      config,
      distributor: { name: 'Debian' } as never,
    });
    expect(text).toContain(`The parser overflows.\n${code}\n`);
  });

  it('says counts in proper English', () => {
    const one = notifiedSummaryText({ record, notified: ['Debian'], skipped: [], updated: false });
    expect(one.subject).toBe('Advance notice sent to 1 distributor');
    expect(one.text).toContain('went to 1 distributor, each copy');
    expect(one.text).not.toContain('(s)');
  });
});
