/**
 * The case's OSV record committed, on disclosure day, to the folder of a repository that
 * OSV.dev imports from (a "home database" registered with OSV, docs/advisories.md): one commit
 * per disclosure, never before it; after D, one more commit for each change to what the record
 * says. GitHub's contents API takes no idempotency key, so the file is looked for before it is
 * written and again after a failure whose outcome is unknown; a file that already says what
 * would be committed is the publication (an earlier attempt's, or a maintainer's).
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { CaseEvent, CaseRecord } from '../cases/case-record';
import type { CaseRepository } from '../cases/case-repository';
import { hasEvent } from '../cases/case-updates';
import type { OsvCommitLink } from '../cases/published-records';
import type { EmbargoConfig } from '../config/embargo-config';
import { EmbargoError } from '../errors';
import type { Logger } from '../logging/logger';
import type { CaseMailer } from '../outbound/case-mailer';
import type { Clock } from '../time/clock';
import { GitHubRequestError } from './github-request-error';
import { recordPublishedEvent, tellMaintainers } from './publication-mail';
import { writeFileOnce } from './file-write-once';
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

/** How often one run tries to write the file when GitHub answers with a server error. */
const CREATE_ATTEMPTS = 3;

/** The id of the event that records the publication for a disclosure date. */
export function osvPublicationEventId(record: CaseRecord): string {
  return `osv:publish:${record.disclosureAt ?? ''}`;
}

/** The id of the event that records the commit of a change after D, by what changed the case. */
export function osvUpdateEventId(occasion: string): string {
  return `osv:update:${occasion}`;
}

/**
 * What an OSV record says, as a digest: its JSON without `modified`, which is the build time
 * and would otherwise make every rebuild a change. Undefined for a file that is not JSON.
 */
export function osvRecordDigest(osvJson: Buffer): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(osvJson.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { modified: _modified, ...said } = parsed as Record<string, unknown>;
  return createHash('sha256').update(JSON.stringify(said)).digest('hex');
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
    let outcome: { commit: FileCommit; adopted: boolean; content: Buffer };
    try {
      outcome = await this.commit(record, osvId, path, osvJson);
    } catch (err) {
      return this.tell(record, `${id}:failed`, problemOf(err));
    }
    const { commit, adopted } = outcome;
    // What the file says (an adopted one may differ): a later change is compared with it.
    const digest = osvRecordDigest(outcome.content);
    const link: OsvCommitLink = {
      repository: osv.repository,
      path,
      commitSha: commit.sha,
      commitUrl: commit.url,
      ...(commit.fileUrl ? { fileUrl: commit.fileUrl } : {}),
      publishedAt: this.deps.clock.now().toISOString(),
      ...(digest ? { recordDigest: digest } : {}),
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

  /**
   * After D, when a change to the case (a command block, `occasion` naming it) changed what the
   * published OSV record says: commits `osvJson` (built now, so `modified` moves and `published`
   * stays) over the file, once. Nothing happens before D, before the D commit is recorded (the
   * disclosure's retry publishes the current record), or when the record says the same.
   */
  async afterChange(record: CaseRecord, osvJson: Buffer, occasion: string): Promise<CaseRecord> {
    const osv = this.deps.config.osv;
    const link = record.osvCommit;
    if (!osv || !record.disclosedAt || !link) return record;
    const id = osvUpdateEventId(occasion);
    if (hasEvent(record, id)) return record;
    const digest = osvRecordDigest(osvJson);
    // A case published before digests were recorded: the file itself says what was published.
    const published =
      link.recordDigest ??
      (await this.deps.files.get(link.path, osv.branch).then(
        (file) => file && osvRecordDigest(file.content),
        () => undefined,
      ));
    if (!digest || digest === published) return record;
    const osvId = (JSON.parse(osvJson.toString('utf8')) as { id: string }).id;
    const changed = changedFields(record, occasion);
    let outcome: { commit: FileCommit; adopted: boolean };
    try {
      outcome = await this.commitChange(record, osvId, link.path, osvJson, digest, changed);
    } catch (err) {
      return this.tell(record, `${id}:failed`, problemOf(err), 'changed OSV record');
    }
    const { commit, adopted } = outcome;
    const at = this.deps.clock.now().toISOString();
    const done = adopted
      ? `Changed OSV record ${osvId} found in ${osv.repository} (${link.path}, committed earlier)`
      : `Changed OSV record ${osvId} committed to ${osv.repository} (${link.path})`;
    const updated = await this.deps.cases.update(record, (current) =>
      hasEvent(current, id) || !current.osvCommit || current.osvCommit.recordDigest === digest
        ? undefined
        : {
            fields: {
              osvCommit: {
                ...current.osvCommit,
                commitSha: commit.sha,
                commitUrl: commit.url,
                ...(commit.fileUrl ? { fileUrl: commit.fileUrl } : {}),
                recordDigest: digest,
                updatedAt: at,
              },
            },
            events: [this.event(id, `${done}${changed ? `; ${changed}` : ''}`)],
          },
    );
    if (!hasEvent(updated, id)) return updated;
    await this.toMaintainers(updated, id, done, [
      `${done}${changed ? `, after the change to ${changed.replace(/^changed: /i, '')}` : ''}.`,
      `Commit: ${commit.url || '(GitHub did not name it)'}`,
      ...(commit.fileUrl ? [`File: ${commit.fileUrl}`] : []),
      '',
      'The record keeps its id and `published` date; its `modified` time is the time of this',
      'commit, so OSV.dev imports the new version on its next run.',
    ]);
    return updated;
  }

  /**
   * Writes the changed record over the file, once: the file is read first (and again after a
   * server error or a conflict); a file that already says the same is the commit (an earlier
   * attempt's, or a maintainer's).
   */
  private async commitChange(
    record: CaseRecord,
    osvId: string,
    path: string,
    content: Buffer,
    digest: string,
    changed: string,
  ): Promise<{ commit: FileCommit; adopted: boolean }> {
    const { files, config } = this.deps;
    const branch = config.osv?.branch;
    const title = record.title ? `: ${record.title}` : '';
    const message = `Update OSV record ${osvId}\n\n${record.id}${title}\n${changed ? `${changed}\n` : ''}Changed after the disclosure; committed by Embargo.`;
    return writeFileOnce<{ commit: FileCommit; adopted: boolean }>({
      files,
      path,
      branch,
      message,
      kept: async (file) =>
        osvRecordDigest(file.content) === digest
          ? { commit: await this.commitOf(path, branch), adopted: true }
          : undefined,
      content: () => content,
      made: (commit) => ({ commit, adopted: false }),
      ...(this.deps.retryPauseMs !== undefined ? { pauseMs: this.deps.retryPauseMs } : {}),
    });
  }

  private async commit(
    record: CaseRecord,
    osvId: string,
    path: string,
    content: Buffer,
  ): Promise<{ commit: FileCommit; adopted: boolean; content: Buffer }> {
    const { files, config } = this.deps;
    const branch = config.osv?.branch;
    const found = async () => {
      const file = await files.get(path, branch);
      return file
        ? { commit: await this.commitOf(path, branch), adopted: true, content: file.content }
        : undefined;
    };
    const before = await found();
    if (before) return before;
    const title = record.title ? `: ${record.title}` : '';
    const message = `Add OSV record ${osvId}\n\n${record.id}${title}\nPublished by Embargo on the disclosure date.`;
    for (let attempt = 1; ; attempt++) {
      try {
        return {
          commit: await files.create(path, content, message, branch),
          adopted: false,
          content,
        };
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
    what: 'OSV record' | 'changed OSV record' = 'OSV record',
  ): Promise<CaseRecord> {
    this.deps.log.warn('osv-publication-failed', { caseId: record.id, problem: failure.problem });
    const summary = `${what === 'OSV record' ? 'OSV' : 'Changed OSV'} record not committed: ${failure.problem}`;
    const updated = await this.deps.cases.update(record, (current) =>
      hasEvent(current, failedId) ? undefined : { events: [this.event(failedId, summary)] },
    );
    const repository = this.deps.config.osv?.repository ?? 'the repository';
    await this.toMaintainers(updated, failedId, `The ${what} was NOT committed`, [
      failure.problem,
      '',
      `What to do: ${failure.action}`,
      ...(what === 'OSV record'
        ? [
            'The OSV record is attached to the disclosure-day mail; it can also be committed by hand',
            `to ${repository}: a later run finds it there and records it.`,
          ]
        : [
            'The next command to the case (/status will do) tries again; or commit the record by hand',
            `to ${repository} (npx embargo export ${record.id} --format osv): the next try finds it there.`,
          ]),
    ]);
    return updated;
  }

  private event(id: string, summary: string): CaseEvent {
    return recordPublishedEvent(this.deps, id, summary);
  }

  private toMaintainers(record: CaseRecord, key: string, subject: string, lines: string[]) {
    return tellMaintainers(this.deps.mailer, record, { key, subject, lines });
  }
}

/** What the change after D changed, from the history's event for `occasion` (command-effects.ts labels). */
function changedFields(record: CaseRecord, occasion: string): string {
  const event = record.history.find((e) => e.id === `commands:${occasion}`);
  const fields = [...new Set((event?.changes ?? []).map((c) => c.split(':')[0]!))];
  return fields.length ? `Changed: ${fields.join(', ')}` : '';
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
