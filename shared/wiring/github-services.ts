import { OctokitRepositoryAdvisories } from '../adapters/github/octokit-repository-advisories';
import { OctokitRepositoryFiles } from '../adapters/github/octokit-repository-files';
import { OsvPublication } from '../github-advisory/osv-publication';
import { CsafPublication, type DocumentSigner } from '../github-advisory/csaf-publication';
import { GhsaService } from '../github-advisory/ghsa-service';
import type { GitHubTokenSource } from '../github-advisory/github-token-source';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Logger } from '../logging/logger';
import type { CaseMailer } from '../outbound/case-mailer';
import type { Clock } from '../time/clock';

/** What the GitHub services work with, from the rest of the wiring. */
interface GitHubServiceDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  mailer: CaseMailer;
  clock: Clock;
  log: Logger;
}

/** `retryBaseMs`: the clients' first pause between retries (tests shorten it). */
interface GitHubServiceOptions {
  retryBaseMs?: number;
}

/** A GitHub client's options: the token read on the first call, so an unused client never reads it. */
function clientOptions(
  repository: string,
  github: NonNullable<EmbargoConfig['github']>,
  token: GitHubTokenSource,
  options: GitHubServiceOptions,
) {
  return { repository, apiBaseUrl: github.apiBaseUrl, token: () => token.token(), ...options };
}

/** A service pauses between its own retries as its client does. */
const retryPause = (options: GitHubServiceOptions) =>
  options.retryBaseMs !== undefined ? { retryPauseMs: options.retryBaseMs } : {};

/**
 * The GitHub advisory of cases, when the configuration names a repository; undefined otherwise.
 * The token is read on the first call to GitHub, so a function that never calls GitHub never
 * reads it.
 */
export function githubAdvisoryService(
  deps: GitHubServiceDependencies,
  token: GitHubTokenSource | undefined,
  options: GitHubServiceOptions = {},
): GhsaService | undefined {
  const github = deps.config.github;
  if (!github || !token) return undefined;
  const advisories = new OctokitRepositoryAdvisories(
    clientOptions(github.repository, github, token, options),
  );
  return new GhsaService({ ...deps, advisories, ...retryPause(options) });
}

/**
 * The OSV record's commit on disclosure day, when the configuration names `osv` (and `github`,
 * whose token and API it uses); undefined otherwise.
 */
export function osvPublicationService(
  deps: GitHubServiceDependencies,
  token: GitHubTokenSource | undefined,
  options: GitHubServiceOptions = {},
): OsvPublication | undefined {
  const { osv, github } = deps.config;
  if (!osv || !github || !token) return undefined;
  const files = new OctokitRepositoryFiles(clientOptions(osv.repository, github, token, options));
  return new OsvPublication({ ...deps, files, ...retryPause(options) });
}

/**
 * The CSAF provider directory's publication, when the configuration names `csaf` (and `github`,
 * whose token and API it uses); undefined otherwise.
 */
export function csafPublicationService(
  deps: {
    config: EmbargoConfig;
    cases: CaseRepository;
    mailer: CaseMailer;
    clock: Clock;
    log: Logger;
    signer: DocumentSigner;
  },
  token: GitHubTokenSource | undefined,
  options: { retryBaseMs?: number } = {},
): CsafPublication | undefined {
  const { csaf, github } = deps.config;
  if (!csaf || !github || !token) return undefined;
  const files = new OctokitRepositoryFiles({
    repository: csaf.repository,
    apiBaseUrl: github.apiBaseUrl,
    token: () => token.token(),
    ...options,
  });
  return new CsafPublication({
    ...deps,
    files,
    ...(options.retryBaseMs !== undefined ? { retryPauseMs: options.retryBaseMs } : {}),
  });
}
