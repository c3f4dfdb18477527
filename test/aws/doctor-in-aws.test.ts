import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateReceiptRuleCommand,
  CreateReceiptRuleSetCommand,
  SESClient,
  SetActiveReceiptRuleSetCommand,
} from '@aws-sdk/client-ses';
import { CreateEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { benchConfig, fixture } from '../../bench/support/bench-support';
import { DynamoDbDistributorDirectory } from '../../shared/adapters/dynamodb/dynamodb-distributor-directory';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { awsPorts } from '../../infra/cli/doctor/doctor-cli';
import { runChecks } from '../../infra/cli/doctor/checks/all-checks';
import { gatherFacts } from '../../infra/cli/doctor/gatherers/gather-facts';
import { readDeploySettings } from '../../infra/aws/preflight/deploy-settings';
import { stackNameFor } from '../../infra/aws/names';
import { startAwsTier, TIER, type AwsTier } from '../support/aws-tier';
import { motoSkipReason } from '../support/moto-server';

/**
 * `embargo doctor`'s read-only AWS calls (CloudFormation, SES v2 and v1, Lambda, Secrets Manager,
 * DynamoDB) against moto_server, through the same ports the command builds.
 */
const skip = motoSkipReason();
const describeInAws = skip ? describe.skip : describe;
if (skip) console.warn(skip);

// Maintainers at example.org (the verified domain) and at debian.example (not verified).
const config: EmbargoConfig = { ...benchConfig(), announceAddress: 'announce@lists.example.org' };

describeInAws('doctor against AWS APIs (moto_server)', () => {
  let tier: AwsTier;

  beforeAll(async () => {
    tier = await startAwsTier(config, fixture('project-secret.asc'));
    // The deployed stack, as doctor finds it: its outputs name the table and the secret.
    await new CloudFormationClient({}).send(
      new CreateStackCommand({
        StackName: stackNameFor(config.project),
        TemplateBody: JSON.stringify({
          Resources: { Placeholder: { Type: 'AWS::SNS::Topic' } },
          Outputs: {
            TableName: { Value: TIER.table },
            ProjectKeySecretArn: { Value: tier.projectKeySecretArn },
          },
        }),
      }),
    );
    await new DynamoDbDistributorDirectory(tier.clients.dynamo, TIER.table).put({
      email: 'ops@distro.example',
      name: 'Distro',
      publicKeyArmored: fixture('debian-public.asc'),
      fingerprint: 'X',
      addedAt: '2026-12-06T00:00:00Z',
    });
    // The announce list's own address is verified (an address identity, not its domain).
    await tier.clients.sesv2.send(
      new CreateEmailIdentityCommand({ EmailIdentity: config.announceAddress }),
    );
  });
  afterAll(() => tier?.stop());

  const noDns = { resolveMx: async () => [], resolveCname: async () => [] };
  /*
   * moto 5.2 implements neither SES v2 GetAccount nor Lambda GetAccountSettings (it answers
   * HTTP 404 with an HTML page): doctor says so and skips those checks (tested below), and the
   * account's sandbox state is stated here for the others; every other port is the real one.
   */
  const sandboxAccount = {
    getAccount: async () => ({ ProductionAccessEnabled: false, SendingEnabled: true }),
  };

  async function doctor(context: Record<string, string> = {}, real = false) {
    const ports = { ...awsPorts(), dns: noDns, ...(real ? {} : { sesAccount: sandboxAccount }) };
    const facts = await gatherFacts(ports, {
      config,
      region: 'us-west-2',
      settings: readDeploySettings((name) => context[name]),
      expectedRule: { ruleSetName: 'embargo-example', ruleName: 'intake' },
    });
    return { facts, checks: runChecks(facts) };
  }

  it('reads the stack outputs, the account, the domain identity and the project key', async () => {
    const { facts, checks } = await doctor({}, true);
    expect(facts.stack).toMatchObject({ ok: true, value: { outputs: { TableName: TIER.table } } });
    // Where an API cannot be read, doctor says so instead of guessing (moto lacks GetAccount).
    expect(facts.sesAccount).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^ses:GetAccount is not implemented by the endpoint/),
    });
    expect(checks.find((c) => c.title === 'SES account')).toMatchObject({
      status: 'skip',
      action: expect.stringContaining('without AWS_ENDPOINT_URL'),
    });
    // Nor Lambda GetAccountSettings: the concurrency check is skipped, saying why.
    expect(facts.lambda).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^lambda:GetAccountSettings is not implemented/),
    });
    expect(checks.find((c) => c.title === 'Lambda concurrency')?.status).toBe('skip');
    expect(facts.identity).toMatchObject({ ok: true, value: { exists: true } });
    expect(facts.projectKey).toMatchObject({ ok: true, value: { readable: true } });
  });

  it("finds Embargo's rule in the active receipt rule set (SES v1 DescribeActiveReceiptRuleSet)", async () => {
    const before = await doctor();
    expect(before.facts.activeRuleSet).toEqual({ ok: true, value: { name: undefined, rules: [] } });
    expect(before.checks.find((c) => c.title === 'Receipt rule set')?.status).toBe('fail');
    const ses = new SESClient({});
    await ses.send(new CreateReceiptRuleSetCommand({ RuleSetName: 'embargo-example' }));
    await ses.send(
      new CreateReceiptRuleCommand({
        RuleSetName: 'embargo-example',
        Rule: { Name: 'intake', Enabled: true, Recipients: [config.securityAddress] },
      }),
    );
    await ses.send(new SetActiveReceiptRuleSetCommand({ RuleSetName: 'embargo-example' }));
    const after = await doctor();
    expect(after.facts.activeRuleSet).toMatchObject({
      ok: true,
      value: { name: 'embargo-example', rules: [{ name: 'intake', enabled: true }] },
    });
    expect(after.checks.find((c) => c.title === 'Receipt rule set')?.status).toBe('pass');
  });

  it('in the sandbox, names every address Embargo mails that SES may not send to, with its role', async () => {
    const { facts, checks } = await doctor();
    expect(facts.sesAccount).toMatchObject({ ok: true, value: { productionAccess: false } });
    const recipients = facts.recipients?.ok ? facts.recipients.value : [];
    expect(recipients).toEqual(
      expect.arrayContaining([
        { address: 'mia@example.org', role: 'maintainer', verifiedAs: 'example.org' },
        { address: 'security@debian.example', role: 'maintainer' },
        { address: 'ops@distro.example', role: 'distributor' },
        {
          address: 'announce@lists.example.org',
          role: 'announce list',
          verifiedAs: 'announce@lists.example.org',
        },
      ]),
    );
    const check = checks.find((c) => c.title === 'Sandbox recipients')!;
    expect(check.status).toBe('fail');
    expect(check.summary).toContain('security@debian.example (maintainer)');
    expect(check.summary).toContain('ops@distro.example (distributor)');
    expect(check.action).toContain('-c sandboxIdentities=example.org,announce@lists.example.org');
  });

  it('passes once every recipient is verified and in sandboxIdentities', async () => {
    for (const identity of ['debian.example', 'distro.example'])
      await tier.clients.sesv2.send(new CreateEmailIdentityCommand({ EmailIdentity: identity }));
    const { checks } = await doctor({
      sesSandbox: 'true',
      sandboxIdentities: 'example.org,announce@lists.example.org,debian.example,distro.example',
    });
    expect(checks.find((c) => c.title === 'Sandbox recipients')?.status).toBe('pass');
  });
});
