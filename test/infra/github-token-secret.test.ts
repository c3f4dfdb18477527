import { App, Stack, aws_kms as kms } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createGitHubTokenSecret } from '../../infra/aws/data/github-token-secret';
import { defaultConfigFile } from '../../shared/config/embargo-config';

describe('the GitHub token secret', () => {
  it('exists only when the configuration names a repository, encrypted with the stack key', () => {
    const stack = new Stack(new App(), 'T');
    const key = new kms.Key(stack, 'Key');
    expect(createGitHubTokenSecret(stack, defaultConfigFile, key)).toBeUndefined();
    const config = {
      ...defaultConfigFile,
      github: { repository: 'example/cryptolib', apiBaseUrl: 'https://api.github.com' },
    };
    expect(createGitHubTokenSecret(stack, config, key)).toBeDefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] },
    });
    template.hasOutput('GitHubTokenSecretArn', {});
  });
});
