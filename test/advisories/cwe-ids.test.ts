import { parseCweIds } from '../../shared/advisories/cwe-ids';

describe('parseCweIds', () => {
  it('reads ids as maintainers type them, in the spelling CVE records require', () => {
    expect(parseCweIds('CWE-125, cwe-787;79 CWE-125')).toEqual({
      ok: true,
      cwes: ['CWE-125', 'CWE-787', 'CWE-79'],
    });
  });

  it.each([
    ['', 'at least one id'],
    ['CWE-0', '"CWE-0" is not a CWE id'],
    ['CWE-0125', '"CWE-0125" is not a CWE id'],
    ['XSS', '"XSS" is not a CWE id'],
    [Array.from({ length: 11 }, (_, i) => `CWE-${i + 1}`).join(' '), 'at most 10 ids'],
  ])('refuses %j, saying why', (text, reason) => {
    const parsed = parseCweIds(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });
});
