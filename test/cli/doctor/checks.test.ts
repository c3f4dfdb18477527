import { readDeploySettings } from '../../../infra/aws/preflight/deploy-settings';
import { runChecks } from '../../../infra/cli/doctor/checks/all-checks';
import { checkConcurrency, minimumUnreserved } from '../../../infra/cli/doctor/checks/concurrency';
import { checkDkimRecords } from '../../../infra/cli/doctor/checks/dkim-records';
import { checkDomainIdentity } from '../../../infra/cli/doctor/checks/domain-identity';
import { checkMaintainerKeys } from '../../../infra/cli/doctor/checks/maintainer-keys';
import { checkMxRecord } from '../../../infra/cli/doctor/checks/mx-record';
import { checkProjectKey } from '../../../infra/cli/doctor/checks/project-key';
import { checkReceiptRuleSet } from '../../../infra/cli/doctor/checks/receipt-rule-set';
import { checkReceivingRegion } from '../../../infra/cli/doctor/checks/receiving-region';
import { checkSesAccount } from '../../../infra/cli/doctor/checks/ses-account';
import { checkStackStatus } from '../../../infra/cli/doctor/checks/stack-status';
import { type DoctorFacts, found, notGathered } from '../../../infra/cli/doctor/doctor-facts';

const settings = (context: Record<string, string> = {}) => readDeploySettings((n) => context[n]);

/** A deployed, working inbox in eu-west-1: every check passes. */
function healthy(): DoctorFacts {
  return {
    region: 'eu-west-1',
    stackName: 'Embargo-example',
    securityAddress: 'security@example.org',
    domain: 'example.org',
    settings: settings(),
    expectedRule: { ruleSetName: 'embargo-example', ruleName: 'intake' },
    stack: found({ status: 'CREATE_COMPLETE', outputs: { ProjectKeySecretArn: 'arn:secret' } }),
    sesAccount: found({
      productionAccess: true,
      sendingEnabled: true,
      enforcementStatus: 'HEALTHY',
    }),
    identity: found({
      exists: true,
      verifiedForSending: true,
      dkimStatus: 'SUCCESS',
      dkimSigning: true,
      dkimTokens: ['t1', 't2', 't3'],
    }),
    dkimRecords: ['t1', 't2', 't3'].map((t) => ({
      name: `${t}._domainkey.example.org`,
      expected: `${t}.dkim.amazonses.com`,
      found: found([`${t}.dkim.amazonses.com.`]),
    })),
    mx: found({ exchanges: [{ exchange: 'inbound-smtp.eu-west-1.amazonaws.com', priority: 10 }] }),
    activeRuleSet: found({
      name: 'embargo-example',
      rules: [{ name: 'intake', enabled: true, recipients: ['security@example.org'] }],
    }),
    lambda: found({ concurrencyQuota: 1000, unreserved: 1000 }),
    projectKey: found({
      readable: true,
      fingerprint: 'A'.repeat(40),
      userIds: ['Example security <security@example.org>'],
    }),
    maintainers: [
      {
        name: 'Mia',
        email: 'mia@example.org',
        inspection: {
          usable: true,
          fingerprint: 'B'.repeat(40),
          userIds: ['Mia <mia@example.org>'],
        },
      },
    ],
  };
}

/** The stack not deployed yet, nothing in SES: what a first deploy starts from. */
function beforeFirstDeploy(): DoctorFacts {
  const facts = healthy();
  return {
    ...facts,
    stack: found(undefined),
    identity: found({ exists: false }),
    dkimRecords: undefined,
    activeRuleSet: found({ rules: [] }),
    projectKey: undefined,
  };
}

test('a working inbox passes every check', () => {
  expect(runChecks(healthy()).map((r) => [r.title, r.status])).toEqual([
    ['Region receives mail', 'pass'],
    ['Stack', 'pass'],
    ['SES account', 'pass'],
    ['Domain identity', 'pass'],
    ['DKIM records', 'pass'],
    ['MX record', 'pass'],
    ['Receipt rule set', 'pass'],
    ['Lambda concurrency', 'pass'],
    ['Project key', 'pass'],
    ["Maintainers' keys", 'pass'],
  ]);
});

test('before the first deploy, nothing fails for not existing yet (the MX can be published early)', () => {
  const results = runChecks(beforeFirstDeploy());
  expect(results.filter((r) => r.status === 'fail')).toEqual([]);
  expect(results.find((r) => r.title === 'Project key')?.status).toBe('skip');
});

test('every result that is not a pass says what to do', () => {
  const broken: DoctorFacts = {
    ...healthy(),
    region: 'ap-southeast-3',
    sesAccount: notGathered('ses:GetAccount was denied'),
    mx: found({ exchanges: [] }),
  };
  for (const r of runChecks(broken).filter((r) => r.status !== 'pass'))
    expect(r.action).toMatch(/\w{3,}/);
});

describe('region', () => {
  test('fails a region without SES receiving, naming it and the page to look at', () => {
    const r = checkReceivingRegion({ region: 'ap-southeast-3' });
    expect(r.status).toBe('fail');
    expect(r.action).toMatch(
      /ap-southeast-3.*docs\.aws\.amazon\.com\/general\/latest\/gr\/ses\.html/,
    );
  });
});

describe('stack', () => {
  test.each([
    ['ROLLBACK_COMPLETE', 'fail', /delete the stack/],
    ['ROLLBACK_FAILED', 'fail', /empty it/],
    ['DELETE_FAILED', 'fail', /empty it/],
    ['UPDATE_IN_PROGRESS', 'warn', /Wait/],
    ['UPDATE_ROLLBACK_COMPLETE', 'warn', /stack events/],
    ['UPDATE_COMPLETE', 'pass', undefined],
  ] as const)('%s: %s', (status, verdict, action) => {
    const r = checkStackStatus({
      stackName: 'Embargo-example',
      stack: found({ status, outputs: {} }),
    });
    expect(r.status).toBe(verdict);
    if (action) expect(r.action).toMatch(action);
  });
});

describe('SES account', () => {
  const account = (productionAccess: boolean, context: Record<string, string> = {}, more = {}) =>
    checkSesAccount({
      region: 'eu-west-1',
      settings: settings(context),
      sesAccount: found({ productionAccess, sendingEnabled: true, ...more }),
    });

  test('in the sandbox without test identities, says how to deploy for a test and to request production access', () => {
    const r = account(false);
    expect(r.status).toBe('warn');
    expect(r.action).toMatch(/-c sesSandbox=true -c sandboxIdentities=/);
    expect(r.action).toMatch(/production access/);
  });

  test('in the sandbox with test identities, names them', () => {
    const r = account(false, { sesSandbox: 'true', sandboxIdentities: 'me@example.net' });
    expect(r).toMatchObject({ status: 'warn', summary: expect.stringContaining('me@example.net') });
  });

  test('in production with sandbox identities still deployed, says to drop them', () => {
    expect(
      account(true, { sesSandbox: 'true', sandboxIdentities: 'me@example.net' }).action,
    ).toMatch(/without -c sesSandbox/);
  });

  test('paused sending fails', () => {
    expect(account(true, {}, { sendingEnabled: false }).status).toBe('fail');
    expect(account(true, {}, { enforcementStatus: 'SHUTDOWN' }).status).toBe('fail');
    expect(account(true, {}, { enforcementStatus: 'PROBATION' }).status).toBe('warn');
  });
});

describe('domain identity', () => {
  test('before the deploy, an existing identity fails: CloudFormation could not create it', () => {
    const r = checkDomainIdentity({ ...beforeFirstDeploy(), identity: healthy().identity });
    expect(r.status).toBe('fail');
    expect(r.action).toContain('aws sesv2 delete-email-identity --email-identity example.org');
  });

  test('after the deploy, an unverified identity fails and points at the DKIM records', () => {
    const r = checkDomainIdentity({
      ...healthy(),
      identity: found({
        exists: true,
        verifiedForSending: false,
        dkimStatus: 'PENDING',
        dkimSigning: true,
        dkimTokens: [],
      }),
    });
    expect(r).toMatchObject({ status: 'fail', summary: expect.stringContaining('PENDING') });
    expect(r.action).toMatch(/DkimRecord1-3/);
  });

  test('when the stack could not be looked up, an existing identity is a warning, not a verdict', () => {
    expect(checkDomainIdentity({ ...healthy(), stack: notGathered('denied') }).status).toBe('warn');
  });
});

describe('DKIM records', () => {
  test('names each missing or wrong record with the value to publish', () => {
    const facts = healthy();
    facts.dkimRecords![1] = { ...facts.dkimRecords![1]!, found: found([]) };
    facts.dkimRecords![2] = { ...facts.dkimRecords![2]!, found: found(['elsewhere.example.']) };
    const r = checkDkimRecords(facts);
    expect(r.status).toBe('fail');
    expect(r.summary).toContain(
      't2._domainkey.example.org CNAME t2.dkim.amazonses.com (not found)',
    );
    expect(r.summary).toContain(
      't3._domainkey.example.org CNAME t3.dkim.amazonses.com (found elsewhere.example.)',
    );
    expect(r.summary).not.toContain('t1._domainkey');
  });
});

describe('MX record', () => {
  const mx = (exchanges: { exchange: string; priority: number }[]) =>
    checkMxRecord({ domain: 'example.org', region: 'eu-west-1', mx: found({ exchanges }) });

  test('fails an MX of another region or another host, with the record to publish', () => {
    const r = mx([{ exchange: 'inbound-smtp.us-east-1.amazonaws.com', priority: 10 }]);
    expect(r.status).toBe('fail');
    expect(r.action).toContain('example.org MX 10 inbound-smtp.eu-west-1.amazonaws.com');
  });

  test('warns when other hosts share the MX with SES', () => {
    expect(
      mx([
        { exchange: 'inbound-smtp.eu-west-1.amazonaws.com.', priority: 10 },
        { exchange: 'mx.other.example', priority: 20 },
      ]).status,
    ).toBe('warn');
  });

  test('a lookup that failed is not a verdict', () => {
    expect(
      checkMxRecord({ domain: 'example.org', region: 'eu-west-1', mx: notGathered('timeout') })
        .status,
    ).toBe('skip');
  });
});

describe('receipt rule set', () => {
  const rules = (facts: Partial<DoctorFacts>) => checkReceiptRuleSet({ ...healthy(), ...facts });

  test("another active set: activating Embargo's would deactivate it, so deploy with existingRuleSet", () => {
    const other = found({
      name: 'main-rules',
      rules: [{ name: 'catch-all', enabled: true, recipients: ['example.org'] }],
    });
    expect(rules({ activeRuleSet: other }).status).toBe('fail');
    expect(rules({ activeRuleSet: other }).action).toContain('-c existingRuleSet=main-rules');
    expect(checkReceiptRuleSet({ ...beforeFirstDeploy(), activeRuleSet: other }).status).toBe(
      'warn',
    );
  });

  test('no active set after the deploy fails with the activation command', () => {
    const r = rules({ activeRuleSet: found({ rules: [] }) });
    expect(r.status).toBe('fail');
    expect(r.action).toContain(
      'aws ses set-active-receipt-rule-set --rule-set-name embargo-example',
    );
  });

  test("with existingRuleSet, the shared set must hold Embargo's rule, enabled, for the address", () => {
    const shared = {
      settings: settings({ existingRuleSet: 'main-rules' }),
      expectedRule: { ruleSetName: 'main-rules', ruleName: 'embargo-example' },
    };
    const set = (rule: { name: string; enabled: boolean; recipients: string[] }) =>
      found({
        name: 'main-rules',
        rules: [{ name: 'catch-all', enabled: true, recipients: [] }, rule],
      });
    expect(
      rules({
        ...shared,
        activeRuleSet: set({
          name: 'embargo-example',
          enabled: true,
          recipients: ['Security@Example.org'],
        }),
      }).status,
    ).toBe('pass');
    expect(
      rules({
        ...shared,
        activeRuleSet: set({
          name: 'embargo-example',
          enabled: false,
          recipients: ['security@example.org'],
        }),
      }).status,
    ).toBe('fail');
    expect(
      rules({ ...shared, activeRuleSet: set({ name: 'other', enabled: true, recipients: [] }) })
        .status,
    ).toBe('fail');
    expect(rules({ ...shared, activeRuleSet: found({ rules: [] }) }).action).toContain(
      'set-active-receipt-rule-set --rule-set-name main-rules',
    );
  });
});

describe('Lambda concurrency', () => {
  const concurrency = (quota: number, unreserved: number, context: Record<string, string> = {}) =>
    checkConcurrency({
      settings: settings(context),
      lambda: found({ concurrencyQuota: quota, unreserved }),
    });
  const all = {
    intakeConcurrency: '10',
    noticesConcurrency: '5',
    ackWatchConcurrency: '1',
    sendingEventsConcurrency: '2',
  };

  test('a new account (quota 10) can reserve nothing, and the default reserves nothing', () => {
    expect(minimumUnreserved(10)).toBe(10);
    expect(concurrency(10, 10).status).toBe('pass');
    const r = concurrency(10, 10, { intakeConcurrency: '1' });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('at most 0 can be reserved');
  });

  test('the standard quota keeps 100 unreserved and has room for the old reservations (18)', () => {
    expect(concurrency(1000, 1000, all).status).toBe('pass');
    expect(concurrency(1000, 117, all).status).toBe('fail');
    expect(concurrency(1000, 118, all).status).toBe('pass');
  });
});

describe('project key', () => {
  test('a placeholder secret fails and points at the import step', () => {
    const r = checkProjectKey({
      securityAddress: 'security@example.org',
      projectKey: found({
        readable: false,
        problem: 'The secret does not hold an armored OpenPGP private key.',
      }),
    });
    expect(r).toMatchObject({ status: 'fail', action: expect.stringContaining('step 3') });
  });

  test('a key without a user id for the security address fails', () => {
    const r = checkProjectKey({
      securityAddress: 'security@example.org',
      projectKey: found({
        readable: true,
        fingerprint: 'C'.repeat(40),
        userIds: ['Someone <someone@example.org>'],
      }),
    });
    expect(r.status).toBe('fail');
    expect(r.action).toContain('gpg --quick-add-uid');
  });
});

describe("maintainers' keys", () => {
  test('names each maintainer without a usable key and why', () => {
    const r = checkMaintainerKeys({
      maintainers: [
        {
          name: 'Mia',
          email: 'mia@example.org',
          inspection: { usable: false, problem: 'the key has expired' },
        },
        { name: 'Max', email: 'max@example.org' },
      ],
    });
    expect(r.status).toBe('fail');
    expect(r.summary).toContain('Mia <mia@example.org>: the key has expired');
    expect(r.summary).toContain('Max <max@example.org>: no public key configured');
  });

  test("warns about a key whose user ids do not include the maintainer's address", () => {
    const r = checkMaintainerKeys({
      maintainers: [
        {
          name: 'Mia',
          email: 'mia@example.org',
          inspection: { usable: true, fingerprint: 'D', userIds: ['Mia <mia@home.example>'] },
        },
      ],
    });
    expect(r.status).toBe('warn');
  });
});
