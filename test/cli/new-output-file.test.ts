import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbargoError } from '../../shared/errors';
import { writeNewFile } from '../../infra/cli/new-output-file';

describe('writeNewFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a new file for its owner only and returns its full path', async () => {
    const out = await writeNewFile(join(dir, 'a', '..', 'record.json'), '{}');
    expect(out).toBe(join(dir, 'record.json'));
    expect(readFileSync(out, 'utf8')).toBe('{}');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('never overwrites: an existing file stays as it was, and the error says what to do', async () => {
    const existing = join(dir, 'theirs.txt');
    writeFileSync(existing, 'someone else');
    const failure = await writeNewFile(existing, 'exploit').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(EmbargoError);
    expect(failure).toMatchObject({ code: 'OUTPUT_EXISTS', action: 'Choose another --out path.' });
    expect(readFileSync(existing, 'utf8')).toBe('someone else');
  });
});
