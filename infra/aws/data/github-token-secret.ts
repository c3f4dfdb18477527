import {
  CfnOutput,
  RemovalPolicy,
  type Stack,
  Validations,
  aws_iam as iam,
  aws_kms as kms,
  aws_secretsmanager as secretsmanager,
} from 'aws-cdk-lib';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';

/**
 * The GitHub token for `/ghsa` (docs/github.md), only when the configuration names a repository:
 * encrypted with the stack's key, kept on stack deletion, and filled in by the operator after
 * the first deploy (like the project key, its generated initial value is refused with an error
 * that says how to set it).
 */
export function createGitHubTokenSecret(
  stack: Stack,
  config: EmbargoConfig,
  key: kms.IKey,
): secretsmanager.Secret | undefined {
  if (!config.github) return undefined;
  // Each publication that commits files needs the contents permission on its repository.
  const contents = [
    ...(config.osv ? [`${config.osv.repository} for OSV records`] : []),
    ...(config.csaf ? [`${config.csaf.repository} for the CSAF directory`] : []),
  ].map((where) => `; "Contents: Read and write" on ${where}`);
  const secret = new secretsmanager.Secret(stack, 'GitHubTokenSecret', {
    description:
      `Embargo (${config.project}): GitHub token for repository security advisories of ` +
      `${config.github.repository} (fine-grained, "Repository security advisories: Read and write"` +
      `${contents.join('')}). ` +
      'Set it with `aws secretsmanager put-secret-value` (docs/github.md).',
    encryptionKey: key,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'A GitHub token is issued by GitHub, not by AWS: rotate it on GitHub (fine-grained tokens expire) and put the new value here (docs/github.md).',
  });
  new CfnOutput(stack, 'GitHubTokenSecretArn', {
    description: 'Put the GitHub token for /ghsa here (docs/github.md).',
    value: secret.secretArn,
  });
  return secret;
}

/** The environment variable that names the secret to a function that calls GitHub. */
export const GITHUB_TOKEN_SECRET_VARIABLE = 'EMBARGO_GITHUB_TOKEN_SECRET_ARN';

/**
 * Lets one function read the token: only those that call GitHub get this (intake for the
 * maintainers' commands, notices to publish, the watch for assigned CVE ids). Secrets Manager
 * decrypts the value with the caller's kms:Decrypt on the stack key, which they have already.
 */
export function grantGitHubTokenRead(role: iam.Role, secret: secretsmanager.ISecret): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadGitHubToken',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretArn],
    }),
  );
}
