import type { CaseRecord } from '../../shared/cases/case-record';
import { defaultConfigFile, type EmbargoConfig } from '../../shared/config/embargo-config';
import { ossSecurityPostText, POST_WIDTH } from '../../shared/notices/oss-security-post';
import { caseRecord } from '../support/case-builder';

const config: EmbargoConfig = {
  ...defaultConfigFile,
  project: 'cryptolib',
  ossSecurity: 'oss-security@lists.openwall.com',
  repositoryUrl: 'https://github.com/example/cryptolib',
};
const code =
  '    if (len > sizeof(buf)) return -1; /* a line of code longer than the post width, kept */';
const prose =
  'The header parser copies each header into a fixed buffer of 4096 bytes without checking its length, so a longer header overwrites the heap.';

function disclosedCase(fields: Partial<CaseRecord> = {}): CaseRecord {
  const base = caseRecord('SEC-2026-0007', {
    receivedAt: '2026-11-20T09:00:00.000Z',
    title: 'Heap overflow in parse_header',
    cve: 'CVE-2026-1234',
    severity: 'high',
    affected: '>= 2.0, < 2.4.1',
    fixed: '2.4.1, 2.3.9',
    credits: [
      { name: 'Alice Example', type: 'finder', github: 'alice-example' },
      { name: 'Max', type: 'analyst' },
    ],
    advisory: `${prose}\n${code}`,
    disclosureAt: '2026-12-05T12:00:00.000Z',
    disclosedAt: '2026-12-05T12:00:03.000Z',
    ...fields,
  });
  const at = (iso: string, type: CaseRecord['history'][number]['type'], summary: string) => ({
    id: `${type}-${iso}`,
    at: iso,
    type,
    actor: 'security@example.org',
    summary,
  });
  return {
    ...base,
    history: [
      ...base.history,
      at('2026-11-20T10:00:00.000Z', 'acknowledged', 'Acknowledged to alice@example.net'),
      at('2026-11-28T12:00:00.000Z', 'advance-notice', 'Advance notice sent to Debian, Fedora'),
    ],
  };
}

describe('the oss-security post', () => {
  it('names the CVE id and the title in the subject', () => {
    expect(ossSecurityPostText(disclosedCase(), config).subject).toBe(
      'CVE-2026-1234: cryptolib: Heap overflow in parse_header',
    );
    expect(ossSecurityPostText(disclosedCase({ cve: undefined }), config).subject).toBe(
      'cryptolib: Heap overflow in parse_header',
    );
  });

  it('carries the versions, the fix, the credits, the timeline and the references in plain text', () => {
    const { text } = ossSecurityPostText(disclosedCase(), config, {
      ghsaUrl: 'https://github.com/example/cryptolib/security/advisories/GHSA-0001-test-embg',
      osvUrl: 'https://github.com/example/cryptolib/blob/main/osv/x_CRYPTOLIB-SEC-2026-0007.json',
    });
    expect(text).toMatch(/^Affected versions: >= 2\.0, < 2\.4\.1$/m);
    expect(text).toMatch(/^Fixed versions: {4}2\.4\.1, 2\.3\.9$/m);
    expect(text).toContain('Upgrade to 2.4.1, 2.3.9.');
    expect(text).toContain('Thanks to Alice Example (@alice-example) for finding');
    expect(text).toContain('Max');
    expect(text).toMatch(/^2026-11-20 {2}Reported privately to the project$/m);
    expect(text).toMatch(/^2026-11-20 {2}Report acknowledged$/m);
    expect(text).toMatch(/^2026-11-28 {2}Advance notice to distributors$/m);
    expect(text).toMatch(/^2026-12-05 {2}Public disclosure/m);
    expect(text).toContain('https://www.cve.org/CVERecord?id=CVE-2026-1234');
    expect(text).toContain('GHSA-0001-test-embg');
    expect(text).toContain('osv/x_CRYPTOLIB-SEC-2026-0007.json');
    // The details are in the post itself, not behind a link.
    expect(text).toContain('The header parser copies each header');
    // Nobody's address and no distributor's name: the history's summaries stay out.
    expect(text).not.toContain('alice@example.net');
    expect(text).not.toContain('Debian');
  });

  it('wraps at 72 columns, keeping indented code as written', () => {
    const { text } = ossSecurityPostText(
      disclosedCase({ title: `A very long title ${'that goes on '.repeat(8)}` }),
      config,
    );
    const wide = text.split('\n').filter((l) => Array.from(l).length > POST_WIDTH);
    expect(wide).toEqual([code]);
    expect(text).toContain(`\n${code}\n`);
  });
});
