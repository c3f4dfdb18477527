import { EmbargoError } from '../errors';

/** Where the GitHub token comes from: EMBARGO_GITHUB_TOKEN locally, Secrets Manager in AWS. */
export interface GitHubTokenSource {
  /** The token; throws an EmbargoError saying how to set it when there is none. */
  token(): Promise<string>;
}

/** The token from an environment variable (local mode, the CLI). */
export class EnvironmentGitHubToken implements GitHubTokenSource {
  constructor(
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly name = 'EMBARGO_GITHUB_TOKEN',
  ) {}

  async token(): Promise<string> {
    const value = this.env[this.name]?.trim();
    if (!value) {
      throw new EmbargoError(
        'GITHUB_TOKEN_MISSING',
        `No GitHub token: ${this.name} is not set.`,
        `Set ${this.name} to a token with "Repository security advisories: Read and write" on the repository (docs/github.md).`,
      );
    }
    return value;
  }
}
