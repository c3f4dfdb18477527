/*
 * `npm run synth`: the CDK app synthesized offline into cdk.out, and a short summary printed
 * instead of the whole template. The app runs directly (as `cdk synth` would run it, with the
 * same cdk-nag checks), so the CDK CLI's notices do not apply; `npx cdk synth` still works.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { resourceCounts, type Template } from '../infra/aws/template-resources';
import { countOf } from '../shared/mail/count-text';
import { assetsWithSecretKeys } from '../infra/aws/functions/stale-secret-assets';

/** A path as typed from here: relative inside the working folder, absolute outside it. */
const shown = (path: string) => {
  const rel = relative('.', path);
  return rel && !rel.startsWith('..') ? rel : path;
};
const outdir = resolve(process.env.CDK_OUTDIR ?? 'cdk.out');
const region =
  process.env.CDK_DEFAULT_REGION || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
const app = spawnSync(process.execPath, ['--import', 'tsx', 'infra/aws/app.ts'], {
  env: {
    ...process.env,
    // The CDK CLI passes the region it resolved (AWS_REGION first) as CDK_DEFAULT_REGION; so
    // does this, so that a region without SES receiving is refused here as by `npx cdk synth`.
    ...(region ? { CDK_DEFAULT_REGION: region } : {}),
    CDK_OUTDIR: outdir,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  },
  stdio: 'inherit',
});
// Checked whether synth succeeded or not: a refused secret key may have been bundled before.
const secretAssets = assetsWithSecretKeys(outdir);
if (secretAssets.length) {
  console.error(
    [
      `Secret key material is in ${countOf(secretAssets.length, 'file')} an earlier synth wrote:`,
      ...secretAssets.map((file) => `  ${shown(file)}`),
      `Remove them before anything deploys from this folder: rm -rf ${shown(outdir)}`,
      'If such a bundle was ever deployed or shared, treat that secret key as compromised: revoke it and make a new one.',
    ].join('\n'),
  );
  process.exit(1);
}
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
