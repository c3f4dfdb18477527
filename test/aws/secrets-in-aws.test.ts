import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { benchConfig, fixture } from '../../bench/support/bench-support';
import { SecretsManagerProjectKeySource } from '../../shared/adapters/secrets/secrets-manager-project-key-source';
import { EmbargoError } from '../../shared/errors';
import { PROJECT_KEY_REFRESH_MS, projectKeyLoader } from '../../shared/pgp/project-key-loader';
import { startAwsTier, type AwsTier } from '../support/aws-tier';
import { motoSkipReason } from '../support/moto-server';

/** The project key in Secrets Manager (moto_server): reading it, and rotating it (`key import`). */
const skip = motoSkipReason();
const describeInAws = skip ? describe.skip : describe;
if (skip) console.warn(skip);

const fingerprints = JSON.parse(fixture('fingerprints.json')) as Record<string, string>;

describeInAws('the project key in Secrets Manager (moto_server)', () => {
  let tier: AwsTier;
  let source: SecretsManagerProjectKeySource;
  const put = (value: string) =>
    tier.clients.secrets.send(
      new PutSecretValueCommand({ SecretId: tier.projectKeySecretArn, SecretString: value }),
    );

  beforeAll(async () => {
    tier = await startAwsTier(benchConfig(), fixture('project-secret.asc'));
    source = new SecretsManagerProjectKeySource(
      new SecretsManagerClient({}),
      tier.projectKeySecretArn,
    );
  });
  afterAll(() => tier?.stop());

  it('a rotated key is in use within PROJECT_KEY_REFRESH_MS, and not re-read before', async () => {
    let now = 1_000_000;
    const load = projectKeyLoader(source, { now: () => now });
    expect((await load()).fingerprint).toBe(fingerprints.project);

    await put(fixture('alice-secret.asc')); // what `key import` does in AWS
    now += PROJECT_KEY_REFRESH_MS - 1;
    expect((await load()).fingerprint).toBe(fingerprints.project);
    now += 1;
    expect((await load()).fingerprint).toBe(fingerprints.alice);
    await put(fixture('project-secret.asc'));
  });

  it('keeps the key in use when a re-read finds no key, and says what is wrong on a first read', async () => {
    let now = 0;
    const load = projectKeyLoader(source, { now: () => now });
    expect((await load()).fingerprint).toBe(fingerprints.project);
    await put('not a key');
    now += PROJECT_KEY_REFRESH_MS;
    expect((await load()).fingerprint).toBe(fingerprints.project);
    await expect(projectKeyLoader(source)()).rejects.toBeInstanceOf(EmbargoError);
    await put(fixture('project-secret.asc'));
  });
});
