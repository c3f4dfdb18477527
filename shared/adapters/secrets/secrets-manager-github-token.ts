import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EmbargoError } from '../../errors';
import type { GitHubTokenSource } from '../../github-advisory/github-token-source';

/** The GitHub token as a secret's string value, encrypted at rest with the stack's KMS key. */
export class SecretsManagerGitHubToken implements GitHubTokenSource {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async token(): Promise<string> {
    const result = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    const value = result.SecretString?.trim();
    if (!value || value.startsWith('{')) {
      throw new EmbargoError(
        'GITHUB_TOKEN_MISSING',
        `The secret ${this.secretId} holds no GitHub token.`,
        'Put the token in it as plain text: aws secretsmanager put-secret-value --secret-id <GitHubTokenSecretArn> --secret-string <token> (docs/github.md).',
      );
    }
    return value;
  }
}
