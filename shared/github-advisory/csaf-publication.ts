/**
 * The case's public CSAF document published, on disclosure day, in the directory of a CSAF
 * provider (CSAF 2.0 section 7.1) kept in a GitHub repository folder that a site serves (GitHub
 * Pages, or the project's own): `<year>/<file>.json` with its `.sha256`, `.sha512` and the
 * project key's `.asc` signature, the project's public key, `index.txt`, `changes.csv` and
 * `provider-metadata.json`. After D, a change to the case that changes the document (a new
 * revision) is published the same way.
 *
 * GitHub's contents API commits one file per request, so a publication is several commits. Each
 * file is exactly-once by its content: it is read before it is written and again after a
 * failure whose outcome is unknown, and a file that already says what would be written is left
 * alone. So a run that stopped half-way is finished by the next one, writing only what is
 * missing, in the same order: the document before its hashes and signature, all of them before
 * the lists that name it, the provider metadata last.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import {
  csafDocumentPath,
  csafTracking,
  HASH_ALGORITHMS,
  hashFileText,
  withChange,
  withIndexEntry,
} from '../advisories/records/csaf-directory';
import {
  csafProviderMetadataSchema,
  toCsafProviderMetadata,
} from '../advisories/records/csaf-provider-metadata';
import type { CaseEvent, CaseRecord } from '../cases/case-record';
import type { CaseRepository } from '../cases/case-repository';
import { hasEvent } from '../cases/case-updates';
import type { CsafDirectoryLink } from '../cases/published-records';
import type { EmbargoConfig } from '../config/embargo-config';
import { EmbargoError } from '../errors';
import { validate } from '../validation/validate';
import type { Logger } from '../logging/logger';
import type { CaseMailer } from '../outbound/case-mailer';
import type { Clock } from '../time/clock';
import { GitHubRequestError } from './github-request-error';
import { recordPublishedEvent, tellMaintainers } from './publication-mail';
import { writeFileOnce } from './file-write-once';
import type { FileCommit, RepositoryFiles } from './repository-files';

/** What the publication needs of the project key (shared/pgp/openpgp-mail-crypto.ts has it). */
export interface DocumentSigner {
  /** An armored detached OpenPGP signature over `data` by the project key. */
  detachSign(data: Buffer): Promise<string>;
  /** Whether `signature` is a valid detached signature over `data` by the project key. */
  projectSigned(data: Buffer, signature: Buffer): Promise<boolean>;
  projectPublicKey(): Promise<{ fingerprint: string; armored: string }>;
}

export interface CsafPublicationDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  mailer: CaseMailer;
  clock: Clock;
  log: Logger;
  files: RepositoryFiles;
  signer: DocumentSigner;
  /** Pause before a write whose outcome is unknown is looked for and tried again, in ms. */
  retryPauseMs?: number;
}

/** How often one run tries to write one file when GitHub answers with a server error. */

/** One file of the directory: whether what is there will do, and what to write otherwise. */
interface DirectoryFile {
  /** Inside the provider's folder, e.g. `2026/sec-2026-0001.json.sha512`. */
  name: string;
  /** Says what the commit is for. */
  what: string;
  keeps(current: Buffer): Promise<boolean> | boolean;
  make(current: Buffer | undefined): Promise<Buffer> | Buffer;
}

interface Written {
  name: string;
  commit: FileCommit;
}

export function csafPublicationEventId(record: CaseRecord): string {
  return `csaf:publish:${record.disclosureAt ?? ''}`;
}

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

export class CsafPublication {
  constructor(private readonly deps: CsafPublicationDependencies) {}

  /**
   * Publishes the disclosed case's public CSAF document (the one the disclosure mailed), once;
   * a document already in the directory (an earlier run's) is the publication. A failure is
   * recorded on the case and told to the maintainers, and the next run finishes the job.
   */
  async publish(record: CaseRecord, csafJson: Buffer): Promise<CaseRecord> {
    const csaf = this.deps.config.csaf;
    // Nothing before D: only a case whose public notice went out.
    if (!csaf || !record.disclosedAt || record.csafDirectory) return record;
    const id = csafPublicationEventId(record);
    if (hasEvent(record, id)) return record;
    return this.run(record, csafJson, id, true);
  }

  /**
   * After D, when a change to the case (`occasion` names the command block) made the CSAF
   * document a new revision: publishes it over the old one, with new hashes and signature and
   * a new line in `changes.csv`. Nothing when the document is the one published.
   */
  async afterChange(record: CaseRecord, csafJson: Buffer, occasion: string): Promise<CaseRecord> {
    const link = record.csafDirectory;
    if (!this.deps.config.csaf || !record.disclosedAt || !link) return record;
    const id = `csaf:update:${occasion}`;
    if (hasEvent(record, id) || sha256(csafJson) === link.documentDigest) return record;
    // Changed without a new revision (the configuration changed, not the case): CSAF allows no
    // silent edit of a published version, so it waits for the case's next revision.
    if (csafTracking(csafJson).version === link.version) return record;
    return this.run(record, csafJson, id, false);
  }

  private async run(
    record: CaseRecord,
    csafJson: Buffer,
    id: string,
    onD: boolean,
  ): Promise<CaseRecord> {
    const csaf = this.deps.config.csaf!;
    const tracking = csafTracking(csafJson);
    const documentName = csafDocumentPath(tracking);
    let written: Written[];
    let document: Buffer;
    try {
      ({ written, document } = await this.writeAll(csafJson, documentName, onD));
    } catch (err) {
      return this.tell(record, `${id}:failed`, problemOf(err), onD);
    }
    const at = this.deps.clock.now().toISOString();
    const published = csafTracking(document);
    const documentCommit = written.find((w) => w.name === documentName)?.commit;
    const url = `${csaf.baseUrl}${documentName}`;
    const link: CsafDirectoryLink = {
      repository: csaf.repository,
      path: posix.join(csaf.folder, documentName),
      url,
      version: published.version,
      documentDigest: sha256(document),
      commitUrls: written.map((w) => w.commit.url).filter((u) => u),
      publishedAt: record.csafDirectory?.publishedAt ?? at,
      ...(onD ? {} : { updatedAt: at }),
    };
    const done = `CSAF document ${published.id} version ${published.version} ${
      written.length ? 'published' : 'found'
    } in the CSAF provider directory of ${csaf.repository} (${link.path}${
      written.length
        ? `, ${written.length} file${written.length === 1 ? '' : 's'} committed`
        : ', committed earlier'
    })`;
    const updated = await this.deps.cases.update(record, (current) =>
      hasEvent(current, id) ||
      (onD && current.csafDirectory) ||
      current.csafDirectory?.documentDigest === link.documentDigest
        ? undefined
        : { fields: { csafDirectory: link }, events: [this.event(id, done)] },
    );
    if (!hasEvent(updated, id)) return updated;
    await this.toMaintainers(updated, id, done, [
      `${done}.`,
      `Document: ${url}`,
      `Provider metadata: ${csaf.baseUrl}provider-metadata.json`,
      ...(documentCommit ? [`Commit of the document: ${documentCommit.url}`] : []),
      ...(written.length
        ? [
            '',
            'Commits (GitHub commits one file at a time):',
            ...written.map((w) => `  ${w.name}: ${w.commit.url || '(not named)'}`),
          ]
        : []),
      '',
      `The files are served from ${csaf.baseUrl} once the site that serves ${csaf.repository}`,
      `(${csaf.folder}${csaf.branch ? ` on ${csaf.branch}` : ''}) has built them (docs/advisories.md, "CSAF provider directory").`,
    ]);
    return updated;
  }

  /** Writes every file of the publication that is not as it should be, in order. */
  private async writeAll(
    csafJson: Buffer,
    documentName: string,
    onD: boolean,
  ): Promise<{ written: Written[]; document: Buffer }> {
    const { config, files, signer, clock } = this.deps;
    const csaf = config.csaf!;
    const written: Written[] = [];
    const write = async (file: DirectoryFile) => {
      const commit = await this.write(file);
      if (commit) written.push({ name: file.name, commit });
    };
    // On D a document already there is the publication (an earlier run's): it is the one the
    // hashes and signature are made for. After D the new revision replaces it.
    let document = csafJson;
    if (onD) {
      const there = await files.get(posix.join(csaf.folder, documentName), csaf.branch);
      if (there) document = there.content;
    }
    const tracking = csafTracking(document);
    const filename = posix.basename(documentName);
    await write({
      name: documentName,
      what: `CSAF document ${tracking.id} version ${tracking.version}`,
      keeps: (current) => current.equals(document),
      make: () => document,
    });
    for (const algorithm of HASH_ALGORITHMS) {
      const text = Buffer.from(hashFileText(document, algorithm, filename));
      await write({
        name: `${documentName}.${algorithm}`,
        what: `${algorithm.toUpperCase()} of ${filename}`,
        keeps: (current) => current.equals(text),
        make: () => text,
      });
    }
    await write({
      name: `${documentName}.asc`,
      what: `OpenPGP signature of ${filename}`,
      keeps: (current) => signer.projectSigned(document, current),
      make: async () => Buffer.from(await signer.detachSign(document)),
    });
    const key = await signer.projectPublicKey();
    const keyName = `openpgp/${key.fingerprint.toUpperCase()}.asc`;
    const armored = Buffer.from(key.armored);
    await write({
      name: keyName,
      what: 'the public key that signs the CSAF documents',
      keeps: (current) => current.equals(armored),
      make: () => armored,
    });
    await write({
      name: 'index.txt',
      what: `index.txt: ${documentName}`,
      keeps: (current) =>
        withIndexEntry(current.toString('utf8'), documentName) === current.toString('utf8'),
      make: (current) => Buffer.from(withIndexEntry(current?.toString('utf8'), documentName)),
    });
    const listed = (current: Buffer | undefined) =>
      Buffer.from(withChange(current?.toString('utf8'), documentName, tracking.currentReleaseDate));
    await write({
      name: 'changes.csv',
      what: `changes.csv: ${documentName} ${tracking.currentReleaseDate}`,
      keeps: (current) => listed(current).equals(current),
      make: listed,
    });
    const checked = validate(
      csafProviderMetadataSchema,
      toCsafProviderMetadata({
        project: config.project,
        ...(config.repositoryUrl ? { repositoryUrl: config.repositoryUrl } : {}),
        canonicalUrl: `${csaf.baseUrl}provider-metadata.json`,
        lastUpdated: clock.now().toISOString(),
        publicKeyUrl: `${csaf.baseUrl}${keyName}`,
        fingerprint: key.fingerprint,
      }),
      'provider-metadata.json',
    );
    // Made from the configuration: a problem here is one of `csaf.baseUrl` or `repositoryUrl`.
    if (!checked.success)
      throw new EmbargoError(
        'CSAF_METADATA_INVALID',
        `The provider-metadata.json Embargo would publish is not valid: ${checked.problems.join('; ')}.`,
        'Correct `csaf.baseUrl` (an https:// URL of the folder) or `repositoryUrl` (the publisher namespace, a URL) in embargo.config.json.',
      );
    const metadata = checked.data;
    // `last_updated` is when the metadata last changed: rewritten only with a change.
    const without = (json: Buffer) => {
      try {
        const { last_updated: _at, ...rest } = JSON.parse(json.toString('utf8')) as Record<
          string,
          unknown
        >;
        return JSON.stringify(rest);
      } catch {
        return undefined;
      }
    };
    const metadataJson = Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`);
    await write({
      name: 'provider-metadata.json',
      what: 'provider-metadata.json',
      keeps: (current) => without(current) === without(metadataJson),
      make: () => metadataJson,
    });
    return { written, document };
  }

  /** One file written once: the commit, or undefined when what is there will do. */
  private async write(file: DirectoryFile): Promise<FileCommit | undefined> {
    const { files, config } = this.deps;
    const csaf = config.csaf!;
    const path = posix.join(csaf.folder, file.name);
    const written = await writeFileOnce<{ commit?: FileCommit }>({
      files,
      path,
      branch: csaf.branch,
      message: `${file.what}\n\nPublished by Embargo in the CSAF provider directory.`,
      kept: async (current, attempt) => {
        if (!(await file.keeps(current.content))) return undefined;
        // Written by an earlier attempt of this run (after an answer that was lost)?
        const commit = attempt > 1 ? await files.lastCommit(path, csaf.branch) : undefined;
        return commit ? { commit } : {};
      },
      content: (current) => file.make(current?.content),
      made: (commit) => ({ commit }),
      ...(this.deps.retryPauseMs !== undefined ? { pauseMs: this.deps.retryPauseMs } : {}),
    });
    return written.commit;
  }

  /** Records a failure once per occasion and tells the maintainers what to do. */
  private async tell(
    record: CaseRecord,
    failedId: string,
    failure: { problem: string; action: string },
    onD: boolean,
  ): Promise<CaseRecord> {
    this.deps.log.warn('csaf-publication-failed', { caseId: record.id, problem: failure.problem });
    const summary = `CSAF document not published in the provider directory: ${failure.problem}`;
    const updated = await this.deps.cases.update(record, (current) =>
      hasEvent(current, failedId) ? undefined : { events: [this.event(failedId, summary)] },
    );
    await this.toMaintainers(updated, failedId, 'The CSAF document was NOT published', [
      failure.problem,
      '',
      `What to do: ${failure.action}`,
      onD
        ? 'The next run of the disclosure notice (npx embargo tick) tries again and writes only what is missing.'
        : 'The next command to the case (/status will do) tries again and writes only what is missing.',
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

function problemOf(err: unknown): { problem: string; action: string } {
  if (err instanceof GitHubRequestError) {
    const action =
      err.status === 403 || err.status === 404
        ? 'The token needs "Contents: Read and write" on the repository named in `csaf.repository` (docs/advisories.md).'
        : err.action.replace('resend the command', 'it is tried again on the next run');
    return { problem: err.problem, action };
  }
  if (err instanceof EmbargoError) return { problem: err.reason, action: err.action };
  return {
    problem: 'Embargo failed while publishing the CSAF document (an internal error; see the logs).',
    action:
      'Report the failure to whoever runs Embargo; the CSAF document is attached to the disclosure-day mail.',
  };
}
