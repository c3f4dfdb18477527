import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { localResources } from '../../infra/local/local-settings';
import { runCliAsync as runCli } from '../support/local-process';
import { PGP_FIXTURES, startStores, type Stores } from '../support/local-stores';
import { rawMessage } from '../support/smtp-client';
import { startCallerIdentityServer } from '../support/sts-server';
import type { CaseRecord } from '../../shared/cases/case-record';

const MAINTAINER_ARN = 'arn:aws:sts::123456789012:assumed-role/embargo-maintainer/mia';

/**
 * The CLI against a deployed stack: the same AWS composition the Lambdas use, with the SDK's
 * standard endpoint variables pointing it at the local DynamoDB- and S3-compatible servers.
 */
describe('the CLI against a deployed stack', () => {
  let stores: Stores;
  let env: Record<string, string>;
  let sts: Awaited<ReturnType<typeof startCallerIdentityServer>>;

  beforeAll(async () => {
    stores = await startStores();
    sts = await startCallerIdentityServer((key) => (key === 'S3RVER' ? MAINTAINER_ARN : 'unknown'));
    env = {
      EMBARGO_TABLE_NAME: localResources.tableName,
      EMBARGO_RAW_MAIL_BUCKET: localResources.rawMailBucket,
      EMBARGO_PROJECT_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:key',
      EMBARGO_SCHEDULE_GROUP: 'embargo-example',
      EMBARGO_NOTICES_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:notices',
      EMBARGO_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
      EMBARGO_SCHEDULER_DLQ_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
      EMBARGO_SES_CONFIGURATION_SET: 'embargo-example',
      EMBARGO_CONFIG: '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: stores.dynamoEndpoint,
      AWS_ENDPOINT_URL_S3: stores.s3Endpoint,
      AWS_ENDPOINT_URL_STS: sts.endpoint,
      // Local mode's data must not be what answers.
      EMBARGO_DATA_DIR: join(stores.dataDir, 'no-local-data-here'),
    };
    const services = stores.services();
    const messageId = randomBytes(6).toString('hex');
    await services.rawMail.put(messageId, Buffer.from(rawMessage({ from: 'alice@example.net' })));
    await services.intake.receive({
      messageId,
      receivedAt: new Date(),
      envelopeFrom: 'alice@example.net',
      recipients: ['security@example.org'],
      verdicts: { spam: 'PASS', virus: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' },
    });
  });
  afterAll(async () => {
    await sts.close();
    await stores.stop();
  });

  it('lists the deployed cases and inbound mail', async () => {
    const cases = await runCli(['cases', '--json'], env);
    expect(cases.stderr).toBe('');
    expect(JSON.parse(cases.stdout)).toEqual([
      expect.objectContaining({ reporter: { address: 'alice@example.net' } }),
    ]);
    expect(JSON.parse((await runCli(['inbound', '--json'], env)).stdout)).toHaveLength(1);
  });

  it('prints a case without the secret its Message-IDs are made from', async () => {
    const [listed] = JSON.parse((await runCli(['cases', '--json'], env)).stdout) as CaseRecord[];
    expect((await stores.services().cases.get(listed!.id))?.messageIdKey).toEqual(
      expect.any(String),
    );
    expect(listed).not.toHaveProperty('messageIdKey');
    const shown = JSON.parse((await runCli(['case', listed!.id, '--json'], env)).stdout);
    expect(shown).toMatchObject({ id: listed!.id });
    expect(shown).not.toHaveProperty('messageIdKey');
  });

  it('applies commands to a deployed case as the caller AWS names, all or nothing', async () => {
    const [listed] = JSON.parse((await runCli(['cases', '--json'], env)).stdout) as CaseRecord[];
    const id = listed!.id;
    const refused = await runCli(['command', id, '/severity high', '/cve nonsense'], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('line 2: "/cve nonsense"');
    const applied = await runCli(['command', id, '/severity high', '/title Overflow'], env);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain(`as ${MAINTAINER_ARN}`);
    const record = await stores.services().cases.get(id);
    expect(record).toMatchObject({ severity: 'high', title: 'Overflow' });
    expect(record?.history.at(-1)).toMatchObject({
      type: 'commands-applied',
      actor: 'cli',
      authentication: { method: 'cli', caller: MAINTAINER_ARN },
      changes: ['severity: (unset) → high', 'title: (unset) → Overflow', 'status: new → triaged'],
    });
    expect(sts.requests).toContainEqual({ action: 'GetCallerIdentity', accessKeyId: 'S3RVER' });
  });

  it('manages the deployed distributor list', async () => {
    const added = await runCli(
      [
        'distributor',
        'add',
        'security@debian.example',
        '--name',
        'Debian',
        '--key',
        join(PGP_FIXTURES, 'debian-public.asc'),
      ],
      env,
    );
    expect(added.stderr).toBe('');
    expect(JSON.parse((await runCli(['distributor', 'list', '--json'], env)).stdout)).toEqual([
      expect.objectContaining({ email: 'security@debian.example', name: 'Debian' }),
    ]);
    expect((await runCli(['distributor', 'remove', 'security@debian.example'], env)).status).toBe(
      0,
    );
  });

  it('fetches a case file without overwriting anything, and only files of that case', async () => {
    const content = randomBytes(2048);
    await stores
      .services()
      .files.put('attachments/SEC-2026-0001/0123-poc.bin', content, 'application/octet-stream');
    const out = join(stores.dataDir, 'poc.bin');
    const fetched = await runCli(
      ['file', 'SEC-2026-0001', 'attachments/SEC-2026-0001/0123-poc.bin', '--out', out],
      env,
    );
    expect(fetched.stderr).toBe('');
    expect(readFileSync(out).equals(content)).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const again = await runCli(
      ['file', 'SEC-2026-0001', 'attachments/SEC-2026-0001/0123-poc.bin', '--out', out],
      env,
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('exists already');

    const other = await runCli(
      ['file', 'SEC-2026-0001', 'attachments/SEC-2026-0002/0123-poc.bin', '--out', `${out}.2`],
      env,
    );
    expect(other.status).toBe(1);
    expect(other.stderr).toContain('is not a file of case SEC-2026-0001');

    const missing = await runCli(
      ['file', 'SEC-2026-0001', 'attachments/SEC-2026-0001/none', '--out', `${out}.3`],
      env,
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('has no file');
  });

  it('says which commands are for local mode only', async () => {
    const tick = await runCli(['tick'], env);
    expect(tick.status).toBe(1);
    expect(tick.stderr).toContain('EventBridge Scheduler');
    const key = await runCli(['key', 'show'], env);
    expect(key.status).toBe(1);
    expect(key.stderr).toContain('Secrets Manager');
  });
});
