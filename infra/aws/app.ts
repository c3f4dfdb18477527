import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../../shared/config/config-error';
import { configFilePath, loadConfigFile } from '../../shared/config/load-config';
import { requireMaintainerKeys } from '../../shared/config/maintainer-keys';
import { OpenPgpMailCrypto } from '../../shared/pgp/openpgp-mail-crypto';
import { EmbargoStack } from './embargo-stack';
import { stackNameFor } from './names';
import { EmbargoError, errorReport } from '../../shared/errors';

async function main(): Promise<void> {
  // embargo.config.json in the working directory (or the file EMBARGO_CONFIG names).
  const config = loadConfigFile();
  // Local mode may run without maintainers, to try it; a deployed inbox would answer nobody.
  if (!config.maintainers.length) {
    throw new ConfigError(configFilePath(), [
      'maintainers: none configured. Reports go to the maintainers and nobody else; add at least one (docs/configuration.md) before you synthesize or deploy.',
    ]);
  }
  // A maintainer without a usable key would get no copies in AWS either: stop before synth.
  const keys = new OpenPgpMailCrypto(() => Promise.reject(new Error('not needed')));
  for (const warning of await requireMaintainerKeys(
    config,
    (k) => keys.inspectKey(k),
    configFilePath(),
  )) {
    console.warn(`Warning: ${warning}.`);
  }

  const app = new App();

  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;

  new EmbargoStack(app, stackNameFor(config.project), {
    config,
    // The CDK CLI fills these from the profile and credentials. Offline it knows no account (and
    // falls back to a default region); synth still works, the account resolves at deploy time.
    env: account || region ? { account, region } : undefined,
    description: `Embargo security inbox for ${config.project} (${config.securityAddress})`,
  });

  // cdk-nag v3 is a policy validation plugin: `cdk synth` fails on any AwsSolutions finding
  // that the stack has not acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

  app.synth();
}

main().catch((err: unknown) => {
  // A configuration or preflight refusal says what to do; a stack trace would only bury it.
  if (!(err instanceof EmbargoError)) throw err;
  console.error(errorReport(err));
  process.exit(1);
});
