import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedEnv } from '../support/local-process';
import { PGP_FIXTURES } from '../support/local-stores';

const ROOT = join(__dirname, '..', '..');

/** `npm run synth` (scripts/synth.ts) as a user runs it; its exit status and output. */
function synth(env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/synth.ts'],
      { cwd: ROOT, env: isolatedEnv(env) },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (status) => resolve({ status, output }));
  });
}

describe('npm run synth refuses what `cdk synth` or a deploy would regret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-synth-'));
  const config = (maintainers: unknown[]) => {
    const file = join(dir, `config-${maintainers.length}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        project: 'example',
        securityAddress: 'security@example.org',
        announceAddress: 'announce@example.org',
        maintainers,
      }),
    );
    return file;
  };
  const mia = {
    name: 'Mia',
    email: 'mia@example.org',
    publicKeyFile: join(PGP_FIXTURES, 'mia-public.asc'),
  };

  it('refuses a region without SES receiving from AWS_REGION, as `npx cdk synth` does', async () => {
    const { status, output } = await synth({
      EMBARGO_CONFIG: config([mia]),
      AWS_REGION: 'ap-east-1',
      CDK_OUTDIR: join(dir, 'cdk.out'),
    });
    expect(output).toContain('SES does not receive email in ap-east-1');
    expect(status).toBe(1);
  }, 120_000);

  it('refuses a configuration without maintainers', async () => {
    const { status, output } = await synth({
      EMBARGO_CONFIG: join(dir, 'none.json'),
      CDK_OUTDIR: join(dir, 'cdk.out'),
    });
    expect(output).toContain('file not found');
    writeFileSync(
      join(dir, 'none.json'),
      JSON.stringify({
        project: 'example',
        securityAddress: 'security@example.org',
        announceAddress: 'announce@example.org',
      }),
    );
    const refused = await synth({
      EMBARGO_CONFIG: join(dir, 'none.json'),
      CDK_OUTDIR: join(dir, 'cdk.out'),
    });
    expect(refused.output).toContain(`Invalid configuration in ${join(dir, 'none.json')}`);
    expect(refused.output).toContain('maintainers: none configured');
    expect(refused.status).toBe(1);
    expect(status).toBe(1);
  }, 120_000);
});
