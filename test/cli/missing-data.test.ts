import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliAsync as runCli } from '../support/local-process';

describe('a data folder with no Embargo data in it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-missing-data-'));
  const typo = join(dir, 'dta');

  it('is named, not created, and not shown as an empty store', async () => {
    const cases = await runCli(['cases'], { EMBARGO_DATA_DIR: typo });
    expect(cases.status).toBe(1);
    expect(cases.stdout).not.toContain('No cases yet');
    expect(cases.stderr).toContain(
      `There is no Embargo data in ${typo} (EMBARGO_DATA_DIR names); nothing was created.`,
    );
    expect(cases.stderr).toContain('Check EMBARGO_DATA_DIR for a typo');
    const one = await runCli(['case', 'sec-2026-2'], { EMBARGO_DATA_DIR: typo });
    expect(one.status).toBe(1);
    expect(one.stderr).toContain('There is no Embargo data in');
    expect(existsSync(typo)).toBe(false);
  });
});
