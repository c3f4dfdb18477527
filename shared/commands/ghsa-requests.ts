import type { CaseCommand } from './case-commands';
import type { GhsaRequest } from '../github-advisory/ghsa-service';

/** What a mail's commands ask of GitHub, in the order given. */
export function gitHubRequests(commands: CaseCommand[]): GhsaRequest[] {
  return commands.flatMap((c): GhsaRequest[] => {
    if (c.name === 'ghsa') return [{ kind: 'sync' }];
    if (c.name === 'ghsa-fork') return [{ kind: 'fork' }];
    if (c.name === 'ghsa-invite') return [{ kind: 'invite', login: c.login }];
    if (c.name === 'cve-request') return [{ kind: 'cve-request' }];
    return [];
  });
}
