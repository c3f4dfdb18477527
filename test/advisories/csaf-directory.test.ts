import { createHash } from 'node:crypto';
import {
  csafDocumentPath,
  csafFilename,
  hashFileText,
  withChange,
  withIndexEntry,
} from '../../shared/advisories/records/csaf-directory';

describe('the files of a CSAF provider directory (CSAF 2.0 section 7.1)', () => {
  it('names a document by section 5.1: lower case, runs of other characters as one "_"', () => {
    // The standard's own examples.
    expect(csafFilename('2022_#01-A')).toBe('2022_01-a.json');
    expect(csafFilename('Example Company - 2019-YH3234')).toBe(
      'example_company_-_2019-yh3234.json',
    );
    expect(csafFilename('RHBA-2019:0024')).toBe('rhba-2019_0024.json');
    expect(csafFilename('SEC-2026-0001')).toBe('sec-2026-0001.json');
    expect(csafFilename('a+b/../c')).toBe('a+b_c.json');
  });

  it('puts it in the folder of the year of its initial release (requirement 11)', () => {
    const tracking = {
      id: 'SEC-2026-0001',
      initialReleaseDate: '2026-12-31T23:59:59Z',
      currentReleaseDate: '2027-01-02T00:00:00Z',
      version: '2',
    };
    expect(csafDocumentPath(tracking)).toBe('2026/sec-2026-0001.json');
  });

  it('writes hash files that start with the hash (requirement 18) and sha256sum can check', () => {
    const doc = Buffer.from('{"document":{}}\n');
    const hex = createHash('sha512').update(doc).digest('hex');
    expect(hashFileText(doc, 'sha512', 'a.json')).toBe(`${hex}  a.json\n`);
  });

  it('lists every document once in index.txt (requirement 12)', () => {
    let index = withIndexEntry(undefined, '2025/sec-2025-0009.json');
    index = withIndexEntry(index, '2026/sec-2026-0001.json');
    expect(withIndexEntry(index, '2025/sec-2025-0009.json')).toBe(index);
    expect(index).toBe('2026/sec-2026-0001.json\n2025/sec-2025-0009.json\n');
  });

  it('lists each release in changes.csv, newest first, without a heading (requirement 13)', () => {
    let changes = withChange(undefined, '2026/a.json', '2026-12-01T10:00:00Z');
    changes = withChange(changes, '2025/b.json', '2026-12-03T10:00:00Z');
    changes = withChange(changes, '2026/a.json', '2026-12-02T10:00:00.500Z');
    expect(withChange(changes, '2026/a.json', '2026-12-01T10:00:00Z')).toBe(changes);
    expect(changes).toBe(
      [
        '"2025/b.json","2026-12-03T10:00:00Z"',
        '"2026/a.json","2026-12-02T10:00:00.500Z"',
        '"2026/a.json","2026-12-01T10:00:00Z"',
        '',
      ].join('\n'),
    );
  });
});
