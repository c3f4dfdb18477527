import { caseSubjectTag, formatCaseId, parseCaseId, readCaseId } from '../../shared/cases/case-id';

describe('case ids', () => {
  it('formats the year and a four-digit sequence', () => {
    expect(formatCaseId(2026, 1)).toBe('SEC-2026-0001');
    expect(formatCaseId(2026, 42)).toBe('SEC-2026-0042');
    expect(formatCaseId(2027, 12345)).toBe('SEC-2027-12345');
  });

  it('refuses sequences that are not positive integers', () => {
    expect(() => formatCaseId(2026, 0)).toThrow(RangeError);
    expect(() => formatCaseId(2026, 1.5)).toThrow(RangeError);
  });

  it('parses ids typed by people and rejects anything else', () => {
    expect(parseCaseId(' sec-2026-0007 ')).toBe('SEC-2026-0007');
    expect(parseCaseId('SEC-2026-7')).toBeUndefined();
    expect(parseCaseId('SEC-2026-0007; rm -rf /')).toBeUndefined();
  });

  it('reads a case id typed on the command line without the leading zeros', () => {
    expect(readCaseId('sec-2026-2')).toBe('SEC-2026-0002');
    expect(readCaseId(' SEC-2026-0007 ')).toBe('SEC-2026-0007');
    expect(readCaseId('SEC-2027-12345')).toBe('SEC-2027-12345');
    expect(readCaseId('SEC-2026-0')).toBeUndefined();
    expect(readCaseId('SEC-26-2')).toBeUndefined();
    expect(readCaseId('SEC-2026-2; rm -rf /')).toBeUndefined();
  });

  it('makes the subject tag', () => {
    expect(caseSubjectTag(formatCaseId(2026, 3))).toBe('[SEC-2026-0003]');
  });
});
