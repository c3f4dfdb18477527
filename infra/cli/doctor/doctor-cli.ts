import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDistributorDirectory } from '../../../shared/adapters/dynamodb/dynamodb-distributor-directory';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { SecretsManagerProjectKeySource } from '../../../shared/adapters/secrets/secrets-manager-project-key-source';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import { loadConfigFile } from '../../../shared/config/load-config';
import { EmbargoError, errorMessage } from '../../../shared/errors';
import { OpenPgpMailCrypto } from '../../../shared/pgp/openpgp-mail-crypto';
import { DeploySettingsError, readDeploySettings } from '../../aws/preflight/deploy-settings';
import { intakeRuleNames } from '../../aws/preflight/intake-rule-names';
import { readLocalSettings } from '../../local/local-settings';
import { readRunningRuntime } from '../../local/runtime-file';
import { withServices } from '../sessions/local-session';
import type { CheckResult } from './check-result';
import { runChecks } from './checks/all-checks';
import { renderReport, stdoutStyle } from './doctor-report';
import { dnsApi } from './gatherers/dns-records';
import { emailIdentityApi } from './gatherers/email-identity';
import { type DoctorPorts, gatherFacts } from './gatherers/gather-facts';
import { lambdaSettingsApi } from './gatherers/lambda-settings';
import { receiptRulesApi } from './gatherers/receipt-rules';
import { sesAccountApi } from './gatherers/ses-account';
import { stackApi } from './gatherers/stack';
import { type ReportSender, SesReportSender, SmtpReportSender } from './send-test/report-sender';
import { runSendTest } from './send-test/send-test';
import { realClock } from './send-test/wait-for-reports';

interface DoctorOptions {
  context: string[];
  secret?: string;
  json?: boolean;
  sendTest?: boolean;
  from?: string;
  large: boolean;
  timeout: string;
  local?: boolean;
  dns?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `-c name=value` pairs, as `cdk deploy -c` takes them. */
function contextValues(pairs: string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new EmbargoError(
        'USAGE',
        `"${pair}" is not a context value.`,
        'Write it as -c name=value, as for cdk deploy.',
      );
    values[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return values;
}

/** The `context` of cdk.json in the working folder, which `cdk deploy` also reads. */
function cdkJsonContext(file = 'cdk.json'): Record<string, unknown> {
  if (!existsSync(file)) return {};
  try {
    const context: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { context?: unknown })
      .context;
    return context && typeof context === 'object' ? (context as Record<string, unknown>) : {};
  } catch (err) {
    throw new EmbargoError(
      'DEPLOY_SETTING_INVALID',
      `cdk.json is not valid JSON (${errorMessage(err)}).`,
      'Fix it; cdk deploy reads it too.',
    );
  }
}

/** The doctor's ports in AWS: one SDK client per API, found through the SDK's own settings. */
export function awsPorts(dnsServers?: string[]): DoctorPorts {
  const sesv2 = new SESv2Client({});
  return {
    stack: stackApi(new CloudFormationClient({})),
    sesAccount: sesAccountApi(sesv2),
    identity: emailIdentityApi(sesv2),
    receiptRules: receiptRulesApi(new SESClient({})),
    lambda: lambdaSettingsApi(new LambdaClient({})),
    dns: dnsApi(dnsServers),
    projectKey: (arn) => new SecretsManagerProjectKeySource(new SecretsManagerClient({}), arn),
    distributors: (tableName) =>
      new DynamoDbDistributorDirectory(
        DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName,
      ),
    // Only public keys are inspected here; no project key is needed.
    crypto: new OpenPgpMailCrypto(() => Promise.reject(new Error('not needed'))),
  };
}

async function awsRegion(): Promise<string> {
  try {
    return await new SESv2Client({}).config.region();
  } catch {
    throw new EmbargoError(
      'AWS_UNREACHABLE',
      'No AWS region is set.',
      "Set AWS_REGION (or your profile's region) to the region you deploy to.",
    );
  }
}

async function usableMaintainers(config: EmbargoConfig): Promise<string[]> {
  const crypto = new OpenPgpMailCrypto(() => Promise.reject(new Error('not needed')));
  const names: string[] = [];
  for (const m of config.maintainers) {
    if (m.publicKeyArmored && (await crypto.inspectKey(m.publicKeyArmored)).usable)
      names.push(m.name);
  }
  return names;
}

async function sendTest(
  config: EmbargoConfig,
  sender: ReportSender,
  opts: DoctorOptions,
  print: (line: string) => void,
): Promise<CheckResult[]> {
  if (!opts.from) {
    throw new EmbargoError(
      'USAGE',
      '--send-test needs --from <address>.',
      'Name an address SES has verified (in the sandbox, one of the sandboxIdentities).',
    );
  }
  const minutes = Number(opts.timeout);
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new EmbargoError(
      'USAGE',
      `"${opts.timeout}" is not a number of minutes.`,
      'Give --timeout as minutes, e.g. --timeout 15.',
    );
  }
  const maintainers = await usableMaintainers(config);
  return withServices((services) =>
    runSendTest(
      sender,
      {
        observe: async () => ({
          cases: await services.cases.list(),
          inbound: await services.ledger.list(),
        }),
      },
      realClock,
      {
        project: config.project,
        securityAddress: config.securityAddress,
        from: opts.from!,
        maintainers,
        large: opts.large,
        timeoutMs: minutes * 60_000,
        pollMs: 10_000,
        print,
      },
    ),
  );
}

async function runDoctor(opts: DoctorOptions): Promise<void> {
  const config = loadConfigFile();
  const style = stdoutStyle();
  const print = (line: string) => console.log(line);
  const results: CheckResult[] = [];
  let heading: string;

  if (opts.local) {
    // Local mode: only the send test, against a running `npm start` (its SMTP gateway).
    const running = readRunningRuntime(readLocalSettings().dataDir);
    if (!running)
      throw new EmbargoError(
        'LOCAL_NOT_RUNNING',
        'Local mode is not running.',
        'Start it with npm start, then run this again.',
      );
    heading = `Embargo doctor: ${config.project}, local mode (${running.smtp})`;
    results.push(...(await sendTest(config, new SmtpReportSender(running.smtp), opts, print)));
  } else {
    let settings;
    try {
      const context = { ...cdkJsonContext(), ...contextValues(opts.context) };
      settings = readDeploySettings((name) => context[name]);
    } catch (err) {
      if (err instanceof DeploySettingsError)
        throw new EmbargoError(
          'DEPLOY_SETTING_INVALID',
          err.reason,
          `${err.action} (give doctor the same -c values as cdk deploy)`,
        );
      throw err;
    }
    const region = await awsRegion();
    heading = `Embargo doctor: ${config.project} (${config.securityAddress}) in ${region}`;
    const dns = opts.dns
      ?.split(',')
      .map((server) => server.trim())
      .filter(Boolean);
    const facts = await gatherFacts(awsPorts(dns), {
      config,
      region,
      settings,
      expectedRule: intakeRuleNames(config.project, settings.existingRuleSet),
      secretArn: opts.secret ?? process.env.EMBARGO_PROJECT_KEY_SECRET_ARN,
    });
    results.push(...runChecks(facts));
    if (opts.sendTest) {
      if (results.some((r) => r.status === 'fail')) {
        results.push({
          title: 'Test reports',
          status: 'skip',
          summary: 'Not sent: fix the failed checks first.',
        });
      } else {
        // The CLI reads the deployed stack through its intake function's settings.
        const intake = facts.stack.ok ? facts.stack.value?.outputs.IntakeFunctionName : undefined;
        if (!process.env.EMBARGO_AWS_FUNCTION && !process.env.EMBARGO_TABLE_NAME && intake)
          process.env.EMBARGO_AWS_FUNCTION = intake;
        if (!process.env.EMBARGO_AWS_FUNCTION && !process.env.EMBARGO_TABLE_NAME) {
          throw new EmbargoError(
            'STACK_NOT_DEPLOYED',
            'The stack is not deployed, so there is no inbox to test.',
            'Deploy first (docs/deploy.md).',
          );
        }
        results.push(
          ...(await sendTest(config, new SesReportSender(new SESv2Client({})), opts, print)),
        );
      }
    }
  }

  if (opts.json) console.log(JSON.stringify(results, null, 2));
  else console.log(renderReport(heading, results, style));
  const failed = results.filter((r) => r.status === 'fail').length;
  if (failed)
    throw new EmbargoError(
      'DOCTOR_CHECKS_FAILED',
      `${failed} check${failed === 1 ? '' : 's'} failed.`,
      'Do what the FAIL lines say, then run doctor again.',
    );
}

export function addDoctorCli(program: Command): void {
  program
    .command('doctor')
    .description(
      'check, read-only with your AWS credentials, what the deploy and a working inbox need; --send-test then sends test reports through SES and waits for their case, acknowledgment and copies',
    )
    .option(
      '-c, --context <name=value>',
      'a context value you deploy with (as cdk deploy -c); repeatable',
      collect,
      [],
    )
    .option(
      '--secret <arn>',
      'the project key secret (default: the stack output ProjectKeySecretArn)',
    )
    .option(
      '--send-test',
      'after the checks, send a small and a ~35 MB test report and wait for them',
    )
    .option('--from <address>', 'the verified identity the test reports come from')
    .option('--no-large', 'send only the small test report')
    .option('--timeout <minutes>', 'how long to wait for the test reports', '15')
    .option('--local', 'send the test reports to local mode (npm start) instead of AWS')
    .option(
      '--dns <servers>',
      "ask these DNS servers (host[:port], comma-separated; e.g. the domain's own) instead of the system's",
    )
    .option('--json', 'print the results as JSON')
    .action((opts: DoctorOptions) => runDoctor(opts));
}
