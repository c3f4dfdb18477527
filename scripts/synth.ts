/*
 * `npm run synth`: the CDK app synthesized offline into cdk.out, and a short summary printed
 * instead of the whole template. The app runs directly (as `cdk synth` would run it, with the
 * same cdk-nag checks), so the CDK CLI's notices do not apply; `npx cdk synth` still works.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { resourceCounts, type Template } from '../infra/aws/template-resources';

const outdir = resolve(process.env.CDK_OUTDIR ?? 'cdk.out');
const app = spawnSync(process.execPath, ['--import', 'tsx', 'infra/aws/app.ts'], {
  env: { ...process.env, CDK_OUTDIR: outdir, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  stdio: 'inherit',
});
if (app.status !== 0) process.exit(app.status ?? 1);

interface Manifest {
  artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
}
const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
for (const [name, artifact] of Object.entries(manifest.artifacts)) {
  if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
  const file = join(outdir, artifact.properties.templateFile);
  const template = JSON.parse(readFileSync(file, 'utf8')) as Template;
  const counts = resourceCounts(template);
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  console.log(`Synthesized stack ${name}: ${total} resources, template in ${relative('.', file)}`);
  for (const [type, n] of counts) console.log(`  ${String(n).padStart(3)}  ${type}`);
}
console.log('cdk-nag checks passed. Deploy with `npx cdk deploy` (see docs/deploy.md).');
