import { findDuplicates } from '../../shared/triage/duplicate-detector';
import { bugIdentifiers } from '../../shared/triage/bug-identifiers';
import { reportFingerprint } from '../../shared/triage/report-fingerprint';
import { chunkedOverflow, chunkedOverflowAgain, cookieXss, unrelated } from './report-texts';

const cases = [
  { key: 'SEC-2026-0001', fingerprint: reportFingerprint(chunkedOverflow) },
  { key: 'SEC-2026-0002', fingerprint: reportFingerprint(cookieXss) },
  { key: 'SEC-2026-0003', fingerprint: reportFingerprint(unrelated) },
];

describe('what identifies a bug', () => {
  it('finds paths, functions, crash frames, sanitizer findings, versions and ids', () => {
    const found = bugIdentifiers(chunkedOverflow).map((i) => `${i.kind}:${i.value}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'symbol:parse_chunk_size',
        'path:src/http/chunked.c',
        'frame:parse_chunk_size',
        'frame:http_read_body',
        'sanitizer:AddressSanitizer heap-buffer-overflow',
        'version:2.4.1',
        'cwe:CWE-122',
      ]),
    );
    expect(bugIdentifiers('see CVE-2026-12345 and ghsa-2xq6-9f7c-4wqw.')).toEqual([
      { kind: 'cve', value: 'CVE-2026-12345' },
      { kind: 'ghsa', value: 'GHSA-2XQ6-9F7C-4WQW' },
    ]);
  });
});

describe('the duplicate detector', () => {
  it('flags the same bug told another way, with reasons a person can check', () => {
    const [first, ...rest] = findDuplicates(reportFingerprint(chunkedOverflowAgain), cases);
    expect(rest).toEqual([]);
    expect(first?.key).toBe('SEC-2026-0001');
    const reasons = first!.reasons.join('; ');
    expect(reasons).toMatch(
      /^both name src\/http\/chunked\.c, src\/http\/body\.c, parse_chunk_size/,
    );
    expect(reasons).toContain('both mention version 2.4.1');
    expect(reasons).toContain('both describe memory corruption');
  });

  it('does not flag another bug of the same project, nor an unrelated one', () => {
    expect(findDuplicates(reportFingerprint(cookieXss), [cases[0]!, cases[2]!])).toEqual([]);
    expect(findDuplicates(reportFingerprint(unrelated), cases.slice(0, 2))).toEqual([]);
  });

  it('takes one shared CVE id as a duplicate, and different CVE ids as two bugs', () => {
    const a = reportFingerprint(`${cookieXss}\nThis is CVE-2026-1111.`);
    const same = reportFingerprint('The login page bug, CVE-2026-1111, is still there.');
    const other = reportFingerprint(`${cookieXss}\nThis is CVE-2026-2222.`);
    const [hit] = findDuplicates(same, [{ key: 'a', fingerprint: a }]);
    expect(hit?.reasons[0]).toBe('both cite CVE-2026-1111');
    const compared = findDuplicates(other, [{ key: 'a', fingerprint: a }], 0);
    expect(compared[0]?.reasons).toContain(
      'they cite different CVE ids (CVE-2026-2222; CVE-2026-1111)',
    );
  });

  it('keeps what it stores bounded and holds no more than stems and identifiers', () => {
    const long = reportFingerprint(
      Array.from({ length: 2000 }, (_, i) => `word${i} frame_${i}()`).join(' '),
    );
    expect(Object.keys(long.terms).length).toBeLessThanOrEqual(250);
    expect(long.identifiers.length).toBeLessThanOrEqual(120);
    expect(Object.keys(reportFingerprint(chunkedOverflow).terms)).toContain('overflow');
  });
});
