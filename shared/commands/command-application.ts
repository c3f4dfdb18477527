import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { Acknowledger } from '../acknowledgment/acknowledger';
import type { Authentication, CaseRecord, PatchFile, Protection } from '../cases/case-record';
import { caseSummaryText } from '../cases/case-summary';
import { hasEvent } from '../cases/case-updates';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { CalendarPart } from '../outbound/outbound-message';
import type { KeyedMaintainer } from '../outbound/maintainer-copies';
import { caseInvite, type InviteMethod } from '../notices/calendar-invite';
import { disclosurePolicyWarnings } from '../notices/disclosure-policy';
import type { CommandLine } from './case-commands';
import { commandEffects, type CommandEffects } from './command-effects';
import type { GhsaService } from '../advisories/github/ghsa-service';
import { gitHubRequests } from '../advisories/github/ghsa-requests';

const GITHUB_UNCONFIGURED =
  'Nothing was sent to GitHub: no repository is configured (github in embargo.config.json, and a token; see docs/github.md).';

/** Who gave a command block, and how they were authenticated: a signed mail, or the admin CLI. */
export interface CommandSource {
  /** Names the block for idempotency: the mail's stored message id, or the CLI run's id. */
  id: string;
  at: string;
  /** The history's actor: the maintainer's address, or `cli`. */
  actor: string;
  /** How the other maintainers are told who it was, e.g. `Mia <mia@example.org>, signed mail`. */
  who: string;
  authentication: Authentication;
  /** The maintainer the sender-only parts (the /status summary) go to; the CLI prints them. */
  sender?: KeyedMaintainer | { email: string };
  messageId?: string;
  protection?: Protection;
  inReplyTo?: string;
}

export interface CommandApplicationDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  mailer: CaseMailer;
  clock: Clock;
  acknowledger: Acknowledger;
  /** Brings the case's notice schedules in step (the embargo planner). */
  onCaseChanged: (record: CaseRecord) => Promise<void>;
  /** The GitHub advisory of a case (`/ghsa`); absent when `github` is not configured. */
  github?: Pick<GhsaService, 'afterCommands'>;
}

export interface AppliedCommands {
  record: CaseRecord;
  changes: string[];
  /** Policy warnings about a new disclosure date. */
  warnings: string[];
  effects: CommandEffects;
}

/**
 * Applies a maintainer's valid, authenticated command block to a case, all or nothing, once per
 * source; then brings the schedules in step, confirms the change to every maintainer (who, what,
 * from → to) with a calendar invite when the dates moved, and sends an acknowledgment `/ack`
 * released. Signed mail and the admin CLI both come through here.
 */
export class CommandApplication {
  constructor(private readonly deps: CommandApplicationDependencies) {}

  async apply(
    record: CaseRecord,
    parsed: { commands: CommandLine[]; body: string },
    source: CommandSource,
    patches: PatchFile[] = [],
  ): Promise<AppliedCommands> {
    const eventId = `commands:${source.id}`;
    let effects = commandEffects(record, parsed.commands, parsed.body, patches);
    let updated = await this.deps.cases.update(record.id, (current) => {
      if (hasEvent(current, eventId)) return undefined;
      effects = commandEffects(current, parsed.commands, parsed.body, patches);
      return {
        fields: effects.fields,
        events: [
          {
            id: eventId,
            at: source.at,
            type: 'commands-applied',
            actor: source.actor,
            summary: `Commands: ${parsed.commands.map((c) => c.text).join('; ')}`,
            ...(source.messageId ? { messageId: source.messageId } : {}),
            ...(source.protection ? { protection: source.protection } : {}),
            authentication: source.authentication,
            changes: effects.changes,
          },
        ],
      };
    });
    const applied = updated.history.find((e) => e.id === eventId);
    const changes = applied?.changes ?? effects.changes;
    const dateSet = parsed.commands.some((c) => c.command.name === 'disclose');
    // Worked out before the planner runs: it sends an advance notice that is due at once.
    const warnings = dateSet
      ? disclosurePolicyWarnings(updated, this.deps.config, this.deps.clock.now())
      : [];
    await this.deps.onCaseChanged(updated);
    // Nothing goes to GitHub unless a maintainer asked for it with /ghsa (or fork, invite, cve).
    const requests = gitHubRequests(parsed.commands.map((c) => c.command));
    if (this.deps.github)
      updated = await this.deps.github.afterCommands(updated, requests, source.id);
    const notes = requests.length && !this.deps.github ? [GITHUB_UNCONFIGURED] : [];
    const lines = parsed.commands.map((c) => c.text);
    await this.confirm(updated, { lines, changes, warnings, effects, notes }, source);
    // Also on a retry: the acknowledger sends nothing once the case records the acknowledgment.
    if (parsed.commands.some((c) => c.command.name === 'ack') && !updated.ackHeld)
      updated = await this.deps.acknowledger.acknowledge(updated);
    return { record: updated, changes, warnings, effects };
  }

  /**
   * What the dates in maintainers' calendars must become after this change, if anything. Read
   * from the recorded changes, so that a retried block decides as the first attempt did.
   */
  private inviteMethod(after: CaseRecord, changes: string[]): InviteMethod | undefined {
    if (!after.disclosureAt || after.disclosedAt) return undefined;
    const changed = (field: string) => changes.some((c) => c.startsWith(`${field}: `));
    if (after.status === 'closed')
      return changes.some((c) => /^status: .* → closed$/.test(c)) ? 'CANCEL' : undefined;
    const reopened = changes.some((c) => c.startsWith('status: closed → '));
    return changed('disclosure date') || changed('urgent') || reopened ? 'REQUEST' : undefined;
  }

  private async confirm(
    updated: CaseRecord,
    outcome: {
      lines: string[];
      changes: string[];
      warnings: string[];
      effects: CommandEffects;
      notes: string[];
    },
    source: CommandSource,
  ): Promise<void> {
    const { lines, changes, warnings, effects, notes } = outcome;
    const { config, mailer, clock } = this.deps;
    const method = this.inviteMethod(updated, changes);
    const isSender = (email: string) =>
      source.sender !== undefined && email.toLowerCase() === source.sender.email.toLowerCase();
    const text = (forSender: boolean) =>
      [
        `${source.who} applied commands to ${updated.id}:`,
        ...lines.map((line) => `  ${line}`),
        '',
        changes.length ? 'Changed (from → to):' : 'Nothing changed.',
        ...changes.map((c) => `  ${c}`),
        ...(warnings.length
          ? ['', 'Policy warnings about this date:', ...warnings.map((w) => `  ! ${w}`)]
          : []),
        ...(method === 'REQUEST'
          ? ['', 'The attached calendar invite holds the advance notice and the disclosure.']
          : method === 'CANCEL'
            ? ['', 'The attached calendar update cancels the notice dates.']
            : []),
        ...(forSender && effects.wantsStatus ? ['', caseSummaryText(updated)] : []),
        ...(notes.length ? ['', ...notes] : []),
      ].join('\n');
    const invite = (maintainer: KeyedMaintainer): CalendarPart | undefined =>
      method
        ? caseInvite({
            record: updated,
            config,
            attendee: maintainer,
            method,
            withAdvanceNotice: true,
            now: clock.now(),
          })
        : undefined;
    const key = `commands-confirmed/${source.id}`;
    // A block that changed nothing (a /status) concerns only whoever sent it.
    const select = changes.length ? {} : source.sender ? { only: source.sender.email } : undefined;
    if (!select) return;
    await mailer.toMaintainers(
      updated,
      (maintainer) => {
        const calendar = invite(maintainer);
        return {
          key,
          subject: caseSubject(updated, 'Commands applied'),
          text: text(isSender(maintainer.email)),
          ...(calendar ? { calendar } : {}),
          ...(source.inReplyTo && isSender(maintainer.email)
            ? { inReplyTo: source.inReplyTo }
            : {}),
        };
      },
      key,
      select,
    );
  }
}
