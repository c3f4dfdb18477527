/**
 * The case's OSV record committed, on disclosure day, to the folder of a repository that
 * OSV.dev imports from (a "home database" registered with OSV, docs/advisories.md): one commit
 * per disclosure, never before it. GitHub's contents API takes no idempotency key, so the file
 * is looked for before it is added and again after a failure whose outcome is unknown; a
 * file that is there already is the publication (an earlier attempt's, or a maintainer's).
 */
import { posix } from 'node:path';
import type { CaseEvent, CaseRecord } from '../cases/case-record';
import type { CaseRepository } from '../cases/case-repository';
import { hasEvent } from '../cases/case-updates';
import type { OsvCommitLink } from '../cases/published-records';
import type { EmbargoConfig } from '../config/embargo-config';
import { EmbargoError } from '../errors';
import type { Logger } from '../logging/logger';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { Clock } from '../time/clock';
import { GitHubRequestError } from './github-request-error';
import type { FileCommit, RepositoryFiles } from './repository-files';

export interface OsvPublicationDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  mailer: CaseMailer;
  clock: Clock;
  log: Logger;
  files: RepositoryFiles;
  /** Pause before a commit whose outcome is unknown is looked for and tried again, in ms. */
  retryPauseMs?: number;
}

/** How often one run tries to add the file when GitHub answers with a server error. */
const CREATE_ATTEMPTS = 3;

/** The id of the event that records the publication for a disclosure date. */
export function osvPublicationEventId(record: CaseRecord): string {
  return `osv:publish:${record.disclosureAt ?? ''}`;
}

export class OsvPublication {
  constructor(private readonly deps: OsvPublicationDependencies) {}

  /** Where the record of `osvId` goes: `<folder>/<id>.json`. */
  path(osvId: string): string {
    const folder = this.deps.config.osv?.folder ?? '';
    return posix.join(folder.replace(/^\/+/, ''), `${osvId}.json`);
  }

  /**
   * Commits the disclosed case's OSV record (the JSON the disclosure mailed), once; a failure is
   * recorded on the case and told to the maintainers, and the next run tries again.
   */
  async publish(record: CaseRecord, osvJson: Buffer): Promise<CaseRecord> {
    const osv = this.deps.config.osv;
    // Nothing before D: only a case whose public notice went out.
    if (!osv || !record.disclosedAt || record.osvCommit) return record;
    const id = osvPublicationEventId(record);
    if (hasEvent(record, id)) return record;
    const osvId = (JSON.parse(osvJson.toString('utf8')) as { id: string }).id;
    const path = this.path(osvId);
    let outcome: { commit: FileCommit; adopted: boolean };
    try {
      outcome = await this.commit(record, osvId, path, osvJson);
    } catch (err) {
      return this.tell(record, `${id}:failed`, problemOf(err));
    }
    const { commit, adopted } = outcome;
    const link: OsvCommitLink = {
      repository: osv.repository,
      path,
      commitSha: commit.sha,
      commitUrl: commit.url,
      ...(commit.fileUrl ? { fileUrl: commit.fileUrl } : {}),
      publishedAt: this.deps.clock.now().toISOString(),
    };
    const done = adopted
      ? `OSV record ${osvId} found in ${osv.repository} (${path}, committed earlier)`
      : `OSV record ${osvId} committed to ${osv.repository} (${path})`;
    const updated = await this.deps.cases.update(record, (current) =>
      hasEvent(current, id) || current.osvCommit
        ? undefined
        : { fields: { osvCommit: link }, events: [this.event(id, done)] },
    );
    await this.toMaintainers(updated, id, done, [
      `${done}.`,
      `Commit: ${commit.url || '(GitHub did not name it)'}`,
      ...(commit.fileUrl ? [`File: ${commit.fileUrl}`] : []),
      '',
      "OSV.dev imports it from there once the repository is registered as your project's",
      'source (docs/advisories.md, "OSV.dev"); scanners that read OSV then see it.',
    ]);
    return updated;
  }

  private async commit(
    record: CaseRecord,
    osvId: string,
    path: string,
    content: Buffer,
  ): Promise<{ commit: FileCommit; adopted: boolean }> {
    const { files, config } = this.deps;
    const branch = config.osv?.branch;
    const found = async () =>
      (await files.get(path, branch))
        ? { commit: await this.commitOf(path, branch), adopted: true }
        : undefined;
    const before = await found();
    if (before) return before;
    const title = record.title ? `: ${record.title}` : '';
    const message = `Add OSV record ${osvId}\n\n${record.id}${title}\nPublished by Embargo on the disclosure date.`;
    for (let attempt = 1; ; attempt++) {
      try {
        return { commit: await files.create(path, content, message, branch), adopted: false };
      } catch (err) {
        // A 5xx or a lost connection may follow the commit; a 422 says the file is there now.
        const status = err instanceof GitHubRequestError ? err.status : 0;
        const maybeThere = status === undefined || (status ?? 0) >= 500 || status === 422;
        if (!maybeThere) throw err;
        if (status !== 422) {
          await new Promise((resolve) =>
            setTimeout(resolve, (this.deps.retryPauseMs ?? 1000) * attempt),
          );
        }
        const after = await found();
        if (after) return after;
        if (attempt >= CREATE_ATTEMPTS || status === 422) throw err;
      }
    }
  }

  private async commitOf(path: string, branch: string | undefined): Promise<FileCommit> {
    return (await this.deps.files.lastCommit(path, branch)) ?? { sha: '', url: '' };
  }

  /** Records a failure once per disclosure date and tells the maintainers what to do. */
  private async tell(
    record: CaseRecord,
    failedId: string,
    failure: { problem: string; action: string },
  ): Promise<CaseRecord> {
    this.deps.log.warn('osv-publication-failed', { caseId: record.id, problem: failure.problem });
    const summary = `OSV record not committed: ${failure.problem}`;
    const updated = await this.deps.cases.update(record, (current) =>
      hasEvent(current, failedId) ? undefined : { events: [this.event(failedId, summary)] },
    );
    await this.toMaintainers(updated, failedId, 'The OSV record was NOT committed', [
      failure.problem,
      '',
      `What to do: ${failure.action}`,
      'The OSV record is attached to the disclosure-day mail; it can also be committed by hand',
      `to ${this.deps.config.osv?.repository ?? 'the repository'}: a later run finds it there and records it.`,
    ]);
    return updated;
  }

  private event(id: string, summary: string): CaseEvent {
    return {
      id,
      at: this.deps.clock.now().toISOString(),
      type: 'record-published',
      actor: this.deps.config.securityAddress,
      summary,
      authentication: { method: 'system' },
    };
  }

  private async toMaintainers(record: CaseRecord, key: string, subject: string, lines: string[]) {
    await this.deps.mailer.toMaintainers(
      record,
      () => ({ key, subject: caseSubject(record, subject), text: lines.join('\n') }),
      key,
    );
  }
}

function problemOf(err: unknown): { problem: string; action: string } {
  if (err instanceof GitHubRequestError) {
    // GitHub's words, with what this publication needs of the token.
    const action =
      err.status === 403 || err.status === 404
        ? 'The token needs "Contents: Read and write" on the repository named in `osv.repository` (docs/advisories.md).'
        : err.action.replace('resend the command', 'it is tried again when the notice runs again');
    return { problem: err.problem, action };
  }
  if (err instanceof EmbargoError) return { problem: err.reason, action: err.action };
  return {
    problem: 'Embargo failed while committing the OSV record (an internal error; see the logs).',
    action:
      'Commit the attached OSV record by hand, and report the failure to whoever runs Embargo.',
  };
}
