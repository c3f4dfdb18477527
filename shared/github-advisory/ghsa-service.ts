/**
 * A case's GitHub repository security advisory: created by `/ghsa`, kept in step with the case
 * afterwards, forked, shared, given a CVE id, and published on disclosure day. Nothing goes to
 * GitHub for a case before a maintainer's `/ghsa`. Every call GitHub fails is recorded on the
 * case and told to the maintainers in words; the advisory's URL goes to maintainers only.
 */
import { createHash } from 'node:crypto';
import type { CaseRecord, CaseEvent } from '../cases/case-record';
import type { CaseRepository } from '../cases/case-repository';
import { appendOnce, hasEvent } from '../cases/case-updates';
import type { EmbargoConfig } from '../config/embargo-config';
import { EmbargoError } from '../errors';
import type { Logger } from '../logging/logger';
import type { CaseMailer } from '../outbound/case-mailer';
import { GitHubRequestError } from './github-request-error';
import { tellMaintainers } from './publication-mail';
import type { Clock } from '../time/clock';
import type { GitHubAdvisoryLink } from '../cases/github-advisory-link';
import { toAdvisoryContent } from './advisory-mapping';
import { isMarkedFor, markedContent, newMarkKey } from './advisory-marker';
import type {
  AdvisoryContent,
  AdvisoryState,
  DraftAdvisory,
  RepositoryAdvisories,
} from './repository-advisories';

export type GhsaRequest =
  { kind: 'sync' } | { kind: 'fork' } | { kind: 'invite'; login: string } | { kind: 'cve-request' };

export interface GhsaDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  mailer: CaseMailer;
  clock: Clock;
  log: Logger;
  advisories: RepositoryAdvisories;
  /** Pause before a create that failed is looked for and tried again, in ms (default 1000). */
  retryPauseMs?: number;
}

type Step = { done: string; link: GitHubAdvisoryLink; mail?: string };

/** The id of the event that records, before a draft is created, that one is being created. */
const CREATE_INTENT = 'ghsa:create-intent:';
/** How often one run posts a draft whose creation GitHub answered with a server error. */
const CREATE_ATTEMPTS = 3;
/**
 * How much earlier than the case's first intent (by Embargo's clock) GitHub may date a draft
 * that attempt created: the two clocks differ a little. A draft older than that is not ours.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

/** What a case's draft creation goes by: when it was first intended, and the mark's key. */
interface CreateIntent {
  at: string;
  key: string;
  /** An earlier attempt recorded the intent: a draft may exist already. */
  earlier: boolean;
}

export class GhsaService {
  constructor(private readonly deps: GhsaDependencies) {}

  private hash(record: CaseRecord): string {
    const content = toAdvisoryContent(record, this.deps.config);
    return createHash('sha256').update(JSON.stringify(content)).digest('hex');
  }

  /**
   * After a mail's commands were applied: what it asked of GitHub, in order, then (for a case
   * that has a draft) the draft brought in step with the case. `occasion` (the mail's id) makes
   * a retried delivery repeat nothing that succeeded.
   */
  async afterCommands(record: CaseRecord, requests: GhsaRequest[], occasion: string) {
    const explicit = requests.some((r) => r.kind === 'sync');
    if (
      explicit ||
      (record.ghsa && !record.ghsa.publishedAt && this.hash(record) !== record.ghsa.contentHash)
    ) {
      record = await this.step(record, `ghsa:${occasion}:sync`, 'sync', () =>
        this.sync(record, explicit),
      );
    }
    for (const request of requests) {
      if (request.kind === 'sync') continue;
      if (!record.ghsa) {
        record = await this.tell(record, `ghsa:${occasion}:${request.kind}`, request.kind, {
          problem: 'The case has no GitHub advisory yet.',
          action: 'Send /ghsa first; it creates the draft.',
        });
        continue;
      }
      const link = record.ghsa;
      const id = `ghsa:${occasion}:${request.kind}`;
      if (request.kind === 'fork')
        record = await this.step(record, id, 'fork', () => this.fork(link));
      if (request.kind === 'invite')
        record = await this.step(record, id, 'invite', () => this.invite(link, request.login));
      if (request.kind === 'cve-request')
        record = await this.step(record, id, 'cve-request', () => this.requestCve(link));
    }
    return record;
  }

  /**
   * Publishes the draft on disclosure day, once; a failure is recorded and told. The advisory is
   * read first, so a run that follows one which published but stopped before the case recorded
   * it records the publication rather than publishing again.
   */
  async publish(record: CaseRecord): Promise<CaseRecord> {
    const link = record.ghsa;
    if (!link || link.publishedAt) return record;
    return this.step(record, `ghsa:publish:${record.disclosureAt ?? ''}`, 'publish', async () => {
      const { advisories, clock } = this.deps;
      const before = await advisories.get(link.ghsaId);
      // The case as it is on the day (the final advisory text), without the draft's mark.
      const published =
        before.state === 'published'
          ? before
          : await advisories.publish(link.ghsaId, toAdvisoryContent(record, this.deps.config));
      return {
        done: `GitHub advisory ${link.ghsaId} published (state: ${published.state})`,
        link: {
          ...link,
          url: published.url,
          contentHash: this.hash(record),
          publishedAt: clock.now().toISOString(),
        },
        mail: `The GitHub advisory was published: ${published.url}\nGitHub reviews it for the GitHub Advisory Database, which feeds Dependabot alerts.`,
      };
    });
  }

  /** The watch: a CVE id GitHub assigned since `/cve request` goes on the case and its exports. */
  async watch(record: CaseRecord): Promise<CaseRecord> {
    const link = record.ghsa;
    if (!link?.cveRequestedAt || record.cve) return record;
    const state = await this.deps.advisories.get(link.ghsaId).catch((err: unknown) => {
      this.deps.log.warn('ghsa-watch-failed', {
        caseId: record.id,
        reason: problemOf(err).problem,
      });
      return undefined;
    });
    if (!state?.cveId) return record;
    const id = `ghsa:cve-assigned:${state.cveId}`;
    const updated = await this.deps.cases.update(record, (current) =>
      hasEvent(current, id) || current.cve
        ? undefined
        : {
            fields: { cve: state.cveId },
            events: [
              this.event(id, `GitHub assigned ${state.cveId} to ${link.ghsaId}`, [
                `cve: (unset) → ${state.cveId}`,
              ]),
            ],
          },
    );
    await this.toMaintainers(updated, id, `GitHub assigned ${state.cveId} to the advisory`, [
      `GitHub, as a CNA, assigned ${state.cveId} to ${link.ghsaId}.`,
      'It is now set on the case (as /cve would) and goes into the notices and exports.',
    ]);
    return updated;
  }

  private async sync(record: CaseRecord, explicit: boolean): Promise<Step> {
    const unmarked = toAdvisoryContent(record, this.deps.config);
    const contentHash = this.hash(record);
    const { advisories } = this.deps;
    if (!record.ghsa) {
      const intent = await this.createIntent(record);
      const content = markedContent(unmarked, record.id, intent.key);
      const found = intent.earlier ? await this.ours(record, intent) : undefined;
      const { created, adopted } = found
        ? { created: await advisories.update(found.ghsaId, content), adopted: true }
        : await this.create(record, intent, content);
      const how = adopted ? 'found on GitHub (created by an earlier attempt)' : 'created';
      return {
        done: `GitHub draft advisory ${created.ghsaId} ${how}`,
        link: { ghsaId: created.ghsaId, url: created.url, contentHash },
        mail: `Draft repository security advisory created: ${created.url}\nOnly the repository's maintainers and those you invite can see it. Changes to the case update it.`,
      };
    }
    // A draft linked before marks had keys is updated without one: it needs no finding.
    const content = record.ghsaMarkKey
      ? markedContent(unmarked, record.id, record.ghsaMarkKey)
      : unmarked;
    const updated = await advisories.update(record.ghsa.ghsaId, content);
    return {
      done: `GitHub draft advisory ${updated.ghsaId} updated`,
      link: { ...record.ghsa, url: updated.url, contentHash },
      ...(explicit
        ? { mail: `The draft advisory is up to date with the case: ${updated.url}` }
        : {}),
    };
  }

  /**
   * The case's intent to create its draft: recorded, with the mark's secret key, before the
   * first creation, so that a later attempt (a crash or a lost answer came between GitHub's
   * creating the draft and the case recording it) knows to look for the draft first.
   */
  private async createIntent(record: CaseRecord): Promise<CreateIntent> {
    const first = record.history.find((e) => e.id.startsWith(CREATE_INTENT));
    if (first && record.ghsaMarkKey)
      return { at: first.at, key: record.ghsaMarkKey, earlier: true };
    const at = this.deps.clock.now().toISOString();
    const key = record.ghsaMarkKey ?? newMarkKey();
    const updated = await this.deps.cases.update(
      record,
      appendOnce(
        this.event(
          `${CREATE_INTENT}${at}`,
          'Creating the GitHub draft advisory (a retry looks for it on GitHub before creating another)',
        ),
        { ghsaMarkKey: key },
      ),
    );
    // Another writer may have recorded the key first: theirs is the one.
    return { at, key: updated.ghsaMarkKey ?? key, earlier: false };
  }

  /**
   * The draft an attempt for this case created, if any: it carries the case's mark (an HMAC
   * under the case's secret, which no collaborator on another draft can write) and GitHub
   * created it after the case first intended to (a draft older than that was not made for it).
   */
  private async ours(record: CaseRecord, intent: CreateIntent): Promise<DraftAdvisory | undefined> {
    const since = Date.parse(intent.at) - CLOCK_SKEW_MS;
    const drafts = await this.deps.advisories.listDrafts();
    // Newest first: the oldest with the mark is the one the first attempt made.
    return drafts
      .filter((d) => isMarkedFor(d.description, record.id, intent.key))
      .filter((d) => Date.parse(d.createdAt) >= since)
      .at(-1);
  }

  /**
   * Creates the draft; when GitHub answers with a server error or the connection fails (the
   * draft may exist all the same: a 502 after the creation), looks for it by its mark before
   * posting again, a few times. The client never retries the create by itself.
   */
  private async create(
    record: CaseRecord,
    intent: CreateIntent,
    content: AdvisoryContent,
  ): Promise<{ created: AdvisoryState; adopted: boolean }> {
    const { advisories } = this.deps;
    for (let attempt = 1; ; attempt++) {
      try {
        return { created: await advisories.create(content), adopted: false };
      } catch (err) {
        const outcomeUnknown =
          err instanceof GitHubRequestError && (err.status === undefined || err.status >= 500);
        if (!outcomeUnknown || attempt >= CREATE_ATTEMPTS) throw err;
      }
      await new Promise((resolve) =>
        setTimeout(resolve, (this.deps.retryPauseMs ?? 1000) * attempt),
      );
      const found = await this.ours(record, intent);
      if (found) return { created: await advisories.update(found.ghsaId, content), adopted: true };
    }
  }

  private async fork(link: GitHubAdvisoryLink): Promise<Step> {
    const url = await this.deps.advisories.createPrivateFork(link.ghsaId);
    return {
      done: `Temporary private fork created for ${link.ghsaId}`,
      link: { ...link, privateForkUrl: url },
      mail: `Temporary private fork for the fix: ${url}\nPush the fix there; merging it from the advisory publishes nothing before you publish.`,
    };
  }

  private async invite(link: GitHubAdvisoryLink, login: string): Promise<Step> {
    const current = await this.deps.advisories.get(link.ghsaId);
    const logins = [...new Set([...current.collaborators, login])];
    const updated = await this.deps.advisories.setCollaborators(link.ghsaId, logins);
    return {
      done: `@${login} added as a collaborator on ${link.ghsaId}`,
      link: { ...link, collaborators: updated.collaborators },
      mail: `@${login} can now see and work on the draft advisory (${link.url}).`,
    };
  }

  private async requestCve(link: GitHubAdvisoryLink): Promise<Step> {
    await this.deps.advisories.requestCve(link.ghsaId);
    return {
      done: `CVE id requested from GitHub for ${link.ghsaId}`,
      link: { ...link, cveRequestedAt: this.deps.clock.now().toISOString() },
      mail: 'GitHub, as a CNA, reviews the request; the watch sets the CVE id on the case when GitHub assigns it.',
    };
  }

  /** Runs one GitHub step unless the case records it; records and tells the outcome. */
  private async step(
    record: CaseRecord,
    id: string,
    operation: string,
    run: () => Promise<Step>,
  ): Promise<CaseRecord> {
    if (hasEvent(record, id)) return record;
    let outcome: Step;
    try {
      outcome = await run();
    } catch (err) {
      return this.tell(record, id, operation, problemOf(err));
    }
    const updated = await this.deps.cases.update(record, (current) => {
      if (hasEvent(current, id)) return undefined;
      const { problem: _cleared, ...link } = outcome.link;
      return { fields: { ghsa: link }, events: [this.event(id, outcome.done)] };
    });
    if (outcome.mail) await this.toMaintainers(updated, id, outcome.done, [outcome.mail]);
    return updated;
  }

  /** Records a failure on the case (kept until a later step succeeds) and tells maintainers. */
  private async tell(
    record: CaseRecord,
    id: string,
    operation: string,
    failure: { problem: string; action: string },
  ): Promise<CaseRecord> {
    const failedId = `${id}:failed`;
    this.deps.log.warn('ghsa-failed', { caseId: record.id, operation, problem: failure.problem });
    const at = this.deps.clock.now().toISOString();
    const updated = await this.deps.cases.update(record, (current) =>
      hasEvent(current, failedId)
        ? undefined
        : {
            ...(current.ghsa
              ? {
                  fields: {
                    ghsa: {
                      ...current.ghsa,
                      problem: { at, operation, text: `${failure.problem} ${failure.action}` },
                    },
                  },
                }
              : {}),
            events: [this.event(failedId, `GitHub ${operation} failed: ${failure.problem}`)],
          },
    );
    await this.toMaintainers(updated, failedId, `GitHub ${operation} failed`, [
      failure.problem,
      '',
      `What to do: ${failure.action}`,
    ]);
    return updated;
  }

  private event(id: string, summary: string, changes?: string[]): CaseEvent {
    return {
      id,
      at: this.deps.clock.now().toISOString(),
      type: 'github-advisory',
      actor: this.deps.config.securityAddress,
      summary,
      authentication: { method: 'system' },
      ...(changes ? { changes } : {}),
    };
  }

  private toMaintainers(record: CaseRecord, key: string, subject: string, lines: string[]) {
    return tellMaintainers(this.deps.mailer, record, { key, subject, lines });
  }
}

function problemOf(err: unknown): { problem: string; action: string } {
  if (err instanceof GitHubRequestError) return { problem: err.problem, action: err.action };
  if (err instanceof EmbargoError) return { problem: err.reason, action: err.action };
  // Anything else is a bug here, not GitHub's answer: its text is not shown to anyone.
  return {
    problem: 'Embargo failed while talking to GitHub (an internal error; see the function logs).',
    action: 'Resend the command; if it fails again, report it to whoever runs Embargo.',
  };
}
