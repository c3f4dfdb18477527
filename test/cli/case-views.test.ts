import stringWidth from 'string-width';
import { caseDetails, casesTable, inboundTable } from '../../infra/cli/output/case-views';
import { fittedTable } from '../../infra/cli/output/fitted-table';
import type { CaseId } from '../../shared/cases/case-id';
import { terminalStyle } from '../../infra/cli/output/terminal-style';
import { caseRecord } from '../support/case-builder';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

const records = [
  caseRecord('SEC-2026-0001', {
    reporter: { address: 'a.very.long.reporter.address@security-research.example.net' },
    subject: 'Heap overflow in the ASN.1 parser when reading a certificate with 4,000 extensions',
    acknowledgedAt: '2026-12-01T10:00:00.000Z',
    disclosureAt: '2027-01-15T12:00:00.000Z',
  }),
  caseRecord('SEC-2026-0002', { subject: 'short' }),
];

describe('CLI output in ordinary terminals', () => {
  it('colours only a terminal, and never with NO_COLOR or TERM=dumb', () => {
    expect(terminalStyle({}, { isTTY: true, columns: 120 })).toEqual({ colour: true, width: 120 });
    expect(terminalStyle({ NO_COLOR: '1' }, { isTTY: true, columns: 120 }).colour).toBe(false);
    expect(terminalStyle({ TERM: 'dumb' }, { isTTY: true }).colour).toBe(false);
    expect(terminalStyle({}, { isTTY: false })).toEqual({ colour: false, width: 80 });
    expect(terminalStyle({ COLUMNS: '100' }, { isTTY: false }).width).toBe(100);
  });

  it('writes no escape codes into a pipe and no red header on a terminal', () => {
    const piped = casesTable(records, new Date(), { style: { colour: false, width: 80 } });
    expect(piped).not.toMatch(ANSI);
    const coloured = casesTable(records, new Date(), { style: { colour: true, width: 200 } });
    expect(coloured).toMatch(ANSI);
    expect(coloured).not.toContain('\u001b[31m'); // red
  });

  it('fits `cases` in 80 columns, cutting with "…" and naming the columns left out', () => {
    const text = casesTable(records, new Date(), { style: { colour: false, width: 80 } });
    const lines = text.split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(text).toContain('SEC-2026-0001');
    expect(text).toMatch(/│ Heap overf[^│]*… │/);
    expect(text).toContain('by ');
    expect(lines.at(-1)).toMatch(/^\(Left out to fit: .*; --wide shows all\.\)$/);
  });

  it('fits `inbound` in 80 columns, cutting the message id before the outcome and its case id', () => {
    const text = inboundTable(
      [
        {
          messageId: 'a'.repeat(40),
          receivedAt: '2026-12-01T10:00:00.000Z',
          sender: 'a.very.long.sender.address@security-research.example.net',
          outcome: { kind: 'follow-up', caseId: 'SEC-2026-0001' as CaseId },
        },
      ],
      { style: { colour: false, width: 80 } },
    );
    for (const line of text.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(text).toContain('follow-up on SEC-2026-0001');
    expect(text).not.toContain('a'.repeat(14));
  });

  it('shows the file key of each patch for `embargo file`', () => {
    const text = caseDetails(
      caseRecord('SEC-2026-0001', {
        patches: [
          {
            filename: 'fix.patch',
            key: 'SEC-2026-0001/patches/ab-fix.patch',
            sha256: 'ab'.repeat(32),
            bytes: 1,
          },
        ],
      }),
    );
    expect(text).toMatch(
      /^Patches +fix\.patch \(sha256 abababababab…\)\n {12}file key: SEC-2026-0001\/patches\/ab-fix\.patch$/m,
    );
  });

  it('shows the possible duplicates found when the case opened, and which were ruled out', () => {
    const text = caseDetails(
      caseRecord('SEC-2026-0003', {
        possibleDuplicates: [
          { caseId: 'SEC-2026-0001' as CaseId, score: 0.6, reasons: ['both name parse_chunk()'] },
          { caseId: 'SEC-2026-0002' as CaseId, score: 0.3, reasons: ['both cite CVE-2026-1111'] },
        ],
        notDuplicateOf: ['SEC-2026-0002' as CaseId],
      }),
    );
    expect(text).toMatch(/^Duplicate\? +SEC-2026-0001: both name parse_chunk\(\)$/m);
    expect(text).toMatch(/^ {12}SEC-2026-0002 \(ruled out\): both cite CVE-2026-1111$/m);
  });

  it('breaks `case` lines between fingerprint groups, never inside one', () => {
    const fingerprint = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
    const text = caseDetails(
      caseRecord('SEC-2026-0001', {
        protection: {
          encryption: 'pgp-mime',
          signatures: [{ part: 'whole-message', verified: true, fingerprint }],
        } as never,
      }),
    );
    const lines = text.split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    const joined = lines.join(' ').replace(/\s+/g, ' ');
    expect(joined).toContain('A1B2 C3D4 E5F6 0718 293A 4B5C 6D7E 8F90 1234 5678');
  });

  it('keeps a fingerprint whole in a narrow table, in two lines of five groups', () => {
    const fingerprint = 'ABCD 1234 ABCD 1234 ABCD\n1234 ABCD 1234 ABCD 1234';
    const { text } = fittedTable(
      [
        { head: 'Organisation', priority: 1, minWidth: 12 },
        { head: 'Email', priority: 2, minWidth: 16 },
        { head: 'Key fingerprint', priority: 3 },
        { head: 'Added', priority: 4 },
      ],
      [['Debian Security Team', 'security-team@debian.example.org', fingerprint, '2026-12-01']],
      { style: { colour: false, width: 80 } },
    );
    for (const line of text.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(text).toContain('ABCD 1234 ABCD 1234 ABCD');
    expect(text).toContain('1234 ABCD 1234 ABCD 1234');
  });

  it('shows every column in full with --wide', () => {
    const text = casesTable(records, new Date(), {
      wide: true,
      style: { colour: false, width: 80 },
    });
    expect(text).toContain(records[0]!.subject);
    expect(text).toContain(records[0]!.reporter.address);
    expect(text).toContain('Disclosure');
    expect(text).not.toContain('left out');
  });

  it('keeps the history aligned whatever the length of event names', () => {
    const record = caseRecord('SEC-2026-0003', {
      history: [
        { id: 'a', at: '2026-12-01T10:00:00.000Z', type: 'opened', actor: 'intake', summary: 'x' },
        {
          id: 'b',
          at: '2026-12-01T11:00:00.000Z',
          type: 'acknowledgment-held' as never,
          actor: 'intake',
          summary: 'y',
          simulatedAt: '2026-12-09T09:00:00.000Z',
        },
      ],
    });
    const history = caseDetails(record)
      .split('\n')
      .filter((l) => / intake: /.test(l));
    expect(history).toHaveLength(2);
    expect(new Set(history.map((l) => l.indexOf('intake:'))).size).toBe(1);
    expect(caseDetails(record)).toContain('as of 2026-12-09 09:00Z (run with `tick --now`)');
  });
});
