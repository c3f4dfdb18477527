import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EmbargoError } from '../../errors';
import type { ProjectKeySource } from '../../pgp/project-key-source';

/** The project key as the secret's string value (armored), encrypted at rest with the stack's KMS key. */
export class SecretsManagerProjectKeySource implements ProjectKeySource {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async armoredPrivateKey(): Promise<string> {
    const result = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (!result.SecretString?.includes('PGP PRIVATE KEY BLOCK')) {
      throw new EmbargoError(
        'PROJECT_KEY_UNUSABLE',
        `The secret ${this.secretId} does not hold an armored OpenPGP private key.`,
        'Import the project key as described in docs/deploy.md.',
      );
    }
    return result.SecretString;
  }
}
