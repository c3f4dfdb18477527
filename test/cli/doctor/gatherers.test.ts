import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundException } from '@aws-sdk/client-sesv2';
import DNS from 'dns2';
import { checkMxRecord } from '../../../infra/cli/doctor/checks/mx-record';
import { FileProjectKeySource } from '../../../shared/adapters/files/file-project-key-source';
import { OpenPgpMailCrypto } from '../../../shared/pgp/openpgp-mail-crypto';
import type { ProjectKeySource } from '../../../shared/pgp/project-key-source';
import { awsProblem } from '../../../infra/cli/doctor/gatherers/aws-problem';
import {
  dnsApi,
  gatherDkimRecords,
  gatherMx,
} from '../../../infra/cli/doctor/gatherers/dns-records';
import { gatherDomainIdentity } from '../../../infra/cli/doctor/gatherers/email-identity';
import {
  gatherMaintainerKeys,
  gatherProjectKey,
} from '../../../infra/cli/doctor/gatherers/key-facts';
import { gatherLambdaSettings } from '../../../infra/cli/doctor/gatherers/lambda-settings';
import { gatherActiveRuleSet } from '../../../infra/cli/doctor/gatherers/receipt-rules';
import { gatherSesAccount } from '../../../infra/cli/doctor/gatherers/ses-account';
import { gatherStack } from '../../../infra/cli/doctor/gatherers/stack';
import { readDeploySettings } from '../../../infra/aws/preflight/deploy-settings';
import { runChecks } from '../../../infra/cli/doctor/checks/all-checks';
import { gatherFacts } from '../../../infra/cli/doctor/gatherers/gather-facts';
import { PGP_FIXTURES, pgpFixture, testConfig } from '../../support/local-stores';

/**
 * The DNS gatherers run against a real DNS server (dns2) on a free local port, through
 * node:dns as in use. No emulator for SES, Lambda's account settings or CloudFormation exists
 * here, so those gatherers are given the responses AWS documents for each API, and the SDK's
 * own error classes; their SDK calls themselves were not run against AWS.
 */
describe('DNS gatherers (against a local DNS server)', () => {
  const { Packet } = DNS;
  const CONTROL = 'inbound-smtp.eu-west-1.amazonaws.com';
  let server: DNS.DnsServer;
  let servers: string[];

  beforeAll(async () => {
    server = DNS.createServer({
      udp: true,
      handle: (request, send) => {
        const response = Packet.createResponseFromRequest(request);
        const name = request.questions[0]!.name.toLowerCase();
        const answer = (fields: Partial<DNS.Packet.Resource>) =>
          response.answers.push({
            name,
            class: Packet.CLASS.IN,
            ttl: 300,
            ...fields,
          } as DNS.Packet.Resource);
        if (name === 'silent.example') return; // never answers
        if (name === 'example.org') {
          answer({
            type: Packet.TYPE.MX,
            priority: 10,
            exchange: 'inbound-smtp.eu-west-1.amazonaws.com',
          });
        } else if (name === 't1._domainkey.example.org') {
          answer({ type: Packet.TYPE.CNAME, domain: 't1.dkim.amazonses.com' });
        } else if (name === 't3._domainkey.example.org') {
          answer({ type: Packet.TYPE.CNAME, domain: 'elsewhere.example' });
        } else if (name !== 'nomx.example' && name !== CONTROL) {
          response.header.rcode = 3; // NXDOMAIN
        }
        void send(response);
      },
    });
    const addresses = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
    servers = [`127.0.0.1:${addresses.udp!.port}`];
  });

  afterAll(() => server.close());

  test('finds the MX of the domain', async () => {
    expect(await gatherMx(dnsApi(servers), 'example.org', CONTROL)).toEqual({
      ok: true,
      value: { exchanges: [{ exchange: 'inbound-smtp.eu-west-1.amazonaws.com', priority: 10 }] },
    });
  });

  test('a domain with no MX and a name that does not exist are answers: no exchanges', async () => {
    expect(await gatherMx(dnsApi(servers), 'nomx.example', CONTROL)).toEqual({
      ok: true,
      value: { exchanges: [] },
    });
    expect(await gatherMx(dnsApi(servers), 'missing.example', CONTROL)).toEqual({
      ok: true,
      value: { exchanges: [] },
    });
  });

  test('a resolver that knows no name at all (no working DNS) is not taken to say "no MX"', async () => {
    // What a machine without DNS gets: "no such name" for every name, SES's endpoint too.
    const nothing = DNS.createServer({
      udp: true,
      handle: (request, send) => {
        const response = Packet.createResponseFromRequest(request);
        response.header.rcode = 3; // NXDOMAIN
        void send(response);
      },
    });
    const addresses = await nothing.listen({ udp: { port: 0, address: '127.0.0.1' } });
    try {
      const mx = await gatherMx(
        dnsApi([`127.0.0.1:${addresses.udp!.port}`]),
        'example.org',
        CONTROL,
      );
      expect(mx).toEqual({
        ok: false,
        problem: expect.stringMatching(/^DNS does not work from here/),
      });
      const result = checkMxRecord({ domain: 'example.org', region: 'eu-west-1', mx });
      expect(result.status).toBe('skip');
      expect(result.summary).toMatch(/^Could not check: DNS does not work/);
      expect(result.action).toContain('docs/deploy.md, step 4');
    } finally {
      await nothing.close();
    }
  });

  test('a server that does not answer is a failure to look, not an answer', async () => {
    const mx = await gatherMx(dnsApi(servers, 200), 'silent.example', CONTROL);
    expect(mx.ok).toBe(false);
    expect(!mx.ok && mx.problem).toMatch(/DNS MX lookup of silent\.example/);
  });

  test('gathers everything: DKIM tokens from the identity, the key from the stack output', async () => {
    const secretsAsked: string[] = [];
    const facts = await gatherFacts(
      {
        stack: {
          describeStack: async () => ({
            StackName: 'Embargo-example',
            StackStatus: 'CREATE_COMPLETE',
            CreationTime: new Date(),
            Outputs: [{ OutputKey: 'ProjectKeySecretArn', OutputValue: 'arn:key' }],
          }),
        },
        sesAccount: {
          getAccount: async () => ({ ProductionAccessEnabled: true, SendingEnabled: true }),
        },
        identity: {
          getEmailIdentity: async () => ({
            VerifiedForSendingStatus: true,
            DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS', Tokens: ['t1', 't2', 't3'] },
          }),
        },
        receiptRules: { describeActiveReceiptRuleSet: async () => ({}) },
        lambda: {
          getAccountSettings: async () => ({
            AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 },
          }),
        },
        dns: dnsApi(servers),
        projectKey: (arn) => {
          secretsAsked.push(arn);
          return new FileProjectKeySource(join(PGP_FIXTURES, 'project-secret.asc'));
        },
        crypto: new OpenPgpMailCrypto(() => Promise.reject(new Error('not needed'))),
        distributors: () => {
          throw new Error('with production access the distributors are not asked for');
        },
      },
      {
        config: { ...testConfig, maintainers: [] },
        region: 'eu-west-1',
        settings: readDeploySettings(() => undefined),
        expectedRule: { ruleSetName: 'embargo-example', ruleName: 'intake' },
      },
    );
    expect(secretsAsked).toEqual(['arn:key']);
    expect(facts.projectKey).toMatchObject({ ok: true, value: { readable: true } });
    expect(facts.dkimRecords?.map((r) => r.found)).toEqual([
      { ok: true, value: ['t1.dkim.amazonses.com'] },
      { ok: true, value: [] },
      { ok: true, value: ['elsewhere.example'] },
    ]);
    expect(runChecks(facts).find((r) => r.title === 'DKIM records')?.status).toBe('fail');
  });

  test('looks up each DKIM token under _domainkey and reports what is there', async () => {
    const records = await gatherDkimRecords(dnsApi(servers), 'example.org', ['t1', 't2', 't3']);
    expect(records).toEqual([
      {
        name: 't1._domainkey.example.org',
        expected: 't1.dkim.amazonses.com',
        found: { ok: true, value: ['t1.dkim.amazonses.com'] },
      },
      {
        name: 't2._domainkey.example.org',
        expected: 't2.dkim.amazonses.com',
        found: { ok: true, value: [] },
      },
      {
        name: 't3._domainkey.example.org',
        expected: 't3.dkim.amazonses.com',
        found: { ok: true, value: ['elsewhere.example'] },
      },
    ]);
  });
});

describe('key gatherers (real keys made with GnuPG)', () => {
  test('reads the project key from its source as the Lambdas do', async () => {
    const key = await gatherProjectKey(
      new FileProjectKeySource(join(PGP_FIXTURES, 'project-secret.asc')),
    );
    const fingerprints = JSON.parse(readFileSync(join(PGP_FIXTURES, 'fingerprints.json'), 'utf8'));
    expect(key).toEqual({
      ok: true,
      value: {
        readable: true,
        fingerprint: fingerprints.project,
        userIds: [expect.stringContaining('security@example.org')],
      },
    });
  });

  test('a public key where the private key belongs is a fact about the key', async () => {
    const source: ProjectKeySource = {
      armoredPrivateKey: async () => pgpFixture('project-public.asc').toString(),
    };
    const key = await gatherProjectKey(source);
    expect(key).toMatchObject({
      ok: true,
      value: {
        readable: false,
        problem: expect.stringContaining('not a readable OpenPGP private key'),
      },
    });
  });

  test('a secret that cannot be read is a failure to look', async () => {
    const source: ProjectKeySource = {
      armoredPrivateKey: async () => {
        throw Object.assign(
          new Error('User is not authorized to perform secretsmanager:GetSecretValue'),
          { name: 'AccessDeniedException' },
        );
      },
    };
    expect(await gatherProjectKey(source)).toEqual({
      ok: false,
      problem:
        'secretsmanager:GetSecretValue was denied: User is not authorized to perform secretsmanager:GetSecretValue',
    });
  });

  test("inspects each maintainer's key as outbound mail does", async () => {
    const crypto = new OpenPgpMailCrypto(() => Promise.reject(new Error('not needed')));
    const facts = await gatherMaintainerKeys(
      [
        {
          name: 'Mia',
          email: 'mia@example.org',
          publicKeyArmored: pgpFixture('mia-public.asc').toString(),
        },
        {
          name: 'Sig',
          email: 'sig@example.org',
          publicKeyArmored: pgpFixture('signonly-public.asc').toString(),
        },
        { name: 'Nokey', email: 'nokey@example.org' },
      ],
      crypto,
    );
    expect(facts[0]!.inspection).toMatchObject({
      usable: true,
      userIds: [expect.stringContaining('mia@example.org')],
    });
    expect(facts[1]!.inspection).toMatchObject({ usable: false });
    expect(facts[2]!.inspection).toBeUndefined();
  });
});

describe('AWS gatherers (documented responses; not run against AWS here)', () => {
  test('GetAccount: sandbox, sending and enforcement status', async () => {
    const facts = await gatherSesAccount({
      getAccount: async () => ({
        ProductionAccessEnabled: false,
        SendingEnabled: true,
        EnforcementStatus: 'HEALTHY',
      }),
    });
    expect(facts).toEqual({
      ok: true,
      value: { productionAccess: false, sendingEnabled: true, enforcementStatus: 'HEALTHY' },
    });
  });

  test("GetEmailIdentity: SES's NotFoundException means the identity does not exist", async () => {
    const facts = await gatherDomainIdentity(
      {
        getEmailIdentity: async () => {
          throw new NotFoundException({
            message: 'Email identity example.org does not exist.',
            $metadata: {},
          });
        },
      },
      'example.org',
    );
    expect(facts).toEqual({ ok: true, value: { exists: false } });
  });

  test('GetEmailIdentity: verification and the DKIM tokens', async () => {
    const facts = await gatherDomainIdentity(
      {
        getEmailIdentity: async () => ({
          VerifiedForSendingStatus: true,
          DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS', Tokens: ['a', 'b', 'c'] },
        }),
      },
      'example.org',
    );
    expect(facts).toEqual({
      ok: true,
      value: {
        exists: true,
        verifiedForSending: true,
        dkimStatus: 'SUCCESS',
        dkimSigning: true,
        dkimTokens: ['a', 'b', 'c'],
      },
    });
  });

  test('DescribeActiveReceiptRuleSet: no active set answers with nothing', async () => {
    expect(await gatherActiveRuleSet({ describeActiveReceiptRuleSet: async () => ({}) })).toEqual({
      ok: true,
      value: { name: undefined, rules: [] },
    });
    const active = await gatherActiveRuleSet({
      describeActiveReceiptRuleSet: async () => ({
        Metadata: { Name: 'embargo-example' },
        Rules: [{ Name: 'intake', Enabled: true, Recipients: ['security@example.org'] }],
      }),
    });
    expect(active).toEqual({
      ok: true,
      value: {
        name: 'embargo-example',
        rules: [{ name: 'intake', enabled: true, recipients: ['security@example.org'] }],
      },
    });
  });

  test('GetAccountSettings: the quota and what is unreserved', async () => {
    expect(
      await gatherLambdaSettings({
        getAccountSettings: async () => ({
          AccountLimit: { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 },
        }),
      }),
    ).toEqual({ ok: true, value: { concurrencyQuota: 10, unreserved: 10 } });
  });

  test("DescribeStacks: CloudFormation's ValidationError for a missing stack means not deployed", async () => {
    const missing = await gatherStack(
      {
        describeStack: async () => {
          throw Object.assign(new Error('Stack with id Embargo-example does not exist'), {
            name: 'ValidationError',
          });
        },
      },
      'Embargo-example',
    );
    expect(missing).toEqual({ ok: true, value: undefined });
    const deployed = await gatherStack(
      {
        describeStack: async () => ({
          StackName: 'Embargo-example',
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [
            {
              OutputKey: 'ProjectKeySecretArn',
              OutputValue: 'arn:aws:secretsmanager:eu-west-1:1:secret:k',
            },
          ],
        }),
      },
      'Embargo-example',
    );
    expect(deployed).toEqual({
      ok: true,
      value: {
        status: 'CREATE_COMPLETE',
        outputs: { ProjectKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:k' },
      },
    });
  });

  test('errors become a sentence: missing credentials, denial, network', () => {
    expect(
      awsProblem(
        'ses:GetAccount',
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
      ),
    ).toMatch(/no AWS credentials found/);
    expect(
      awsProblem(
        'ses:GetAccount',
        Object.assign(new Error('nope'), { name: 'AccessDeniedException' }),
      ),
    ).toBe('ses:GetAccount was denied: nope');
    expect(
      awsProblem(
        'ses:GetAccount',
        Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
      ),
    ).toMatch(/network did not answer/);
  });

  test('an API the endpoint does not implement is named as such, not as a parse error', () => {
    // What the SDK throws for moto_server's HTTP 404 HTML page (seen with moto 5.2).
    const html404 = Object.assign(new SyntaxError('Unexpected token \'<\', "<!doctype "...'), {
      $metadata: { httpStatusCode: 404 },
    });
    expect(awsProblem('lambda:GetAccountSettings', html404)).toMatch(
      /^lambda:GetAccountSettings is not implemented by the endpoint that answered.*: nothing was read, so this is not checked\.$/,
    );
    expect(
      awsProblem(
        'ses:GetAccount',
        Object.assign(new Error('x'), { name: 'UnknownOperationException' }),
      ),
    ).toMatch(/is not implemented by the endpoint/);
    // A 200 that does not parse is something else.
    const garbled = Object.assign(new SyntaxError('Unexpected end'), {
      $metadata: { httpStatusCode: 200 },
    });
    expect(awsProblem('ses:GetAccount', garbled)).toMatch(/^ses:GetAccount failed: SyntaxError/);
  });
});
