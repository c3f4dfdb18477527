import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { Acknowledger } from '../acknowledgment/acknowledger';
import type {
  Authentication,
  CaseRecord,
  PatchFile,
  Protection,
  ReporterKey,
} from '../cases/case-record';
import { caseSummaryText } from '../cases/case-summary';
import { appendOnce, hasEvent } from '../cases/case-updates';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import type { CalendarPart } from '../outbound/outbound-message';
import type { KeyedMaintainer } from '../outbound/maintainer-copies';
import { caseInvite, type InviteMethod } from '../notices/calendar-invite';
import { disclosurePolicyWarnings } from '../notices/disclosure-policy';
import { embargoTimeline } from '../notices/embargo-timeline';
import type { CommandLine } from './case-commands';
import {
  commandEffects,
  mailEffectLines,
  mailEffects,
  type CommandEffects,
  type MailEffect,
} from './command-effects';
import type { DistributorDirectory } from '../notices/distributor-directory';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { GhsaService } from '../github-advisory/ghsa-service';
import { osvRecordDigest, type OsvPublication } from '../github-advisory/osv-publication';
import type { CsafPublication } from '../github-advisory/csaf-publication';
import { advisoryRecord } from '../notices/advisory-records';
import { duplicateNotice } from '../triage/duplicate-notice';
import { gitHubRequests } from './ghsa-requests';
import { errorMessage } from '../errors';
import { countOf } from '../mail/count-text';
import { cannedReply } from '../triage/reply-templates';
import {
  caseRecipients,
  chooseRecipients,
  storedSelection,
} from '../distributors/recipient-selection';
import { publicDistributorStatements } from '../distributors/distributor-statements';

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
  /** Where the text after the commands goes on (a mail's reply; not with /advisory). */
  relay?: 'reporter' | 'maintainers';
  messageId?: string;
  protection?: Protection;
  inReplyTo?: string;
  /** What happened to the rest of the mail (kept from the reporter, text outside the signature). */
  notes?: string[];
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
  /** Commits the changed OSV record after D (with `osv`); absent without it. */
  osv?: Pick<OsvPublication, 'afterChange'>;
  /** Publishes a new CSAF revision in the provider directory after D (with `csaf`). */
  csaf?: Pick<CsafPublication, 'afterChange'>;
  /** The distributor list and key checks, to say whom a notice goes to. */
  distributors: Pick<DistributorDirectory, 'list'>;
  crypto: Pick<MailCrypto, 'inspectKey'>;
}

export interface AppliedCommands {
  record: CaseRecord;
  changes: string[];
  /** Policy warnings about a new disclosure date. */
  warnings: string[];
  effects: CommandEffects;
  /**
   * Why nothing was applied: what the block would trigger cannot be done for this case (the
   * sender has been told, and the history says so). Nothing else happened: relay nothing.
   */
  refused?: string;
  /** Every mail the block sent, scheduled, held back or cancelled. */
  mail: MailEffect[];
}

/** What a command block would do, worked out without doing it (`--dry-run`). */
export interface CommandPreview {
  changes: string[];
  warnings: string[];
  mail: MailEffect[];
  /** Requests that would go to GitHub but cannot: `github` is not configured. */
  notes: string[];
  /** Why `apply` would refuse the block (a name not on the distributor list, a `/reply` with no such template). */
  refused?: string;
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
    /** The key `/reporter-key` sets, taken from what the sender's signature covers. */
    reporterKey?: ReporterKey,
  ): Promise<AppliedCommands> {
    const eventId = `commands:${source.id}`;
    const chosen = await this.chooseDistributors(parsed.commands);
    if (!chosen.ok) {
      const effects = commandEffects(record, [], parsed.body, []);
      return this.refuse(record, parsed.commands, source, effects, chosen.reason);
    }
    parsed = { ...parsed, commands: chosen.commands };
    const unknownCase = await this.unknownDuplicateTarget(record, parsed.commands);
    let effects = commandEffects(
      record,
      parsed.commands,
      parsed.body,
      patches,
      reporterKey,
      source.at,
    );
    let refused: string | undefined;
    let before = record;
    let updated = await this.deps.cases.update(record.id, (current) => {
      if (hasEvent(current, eventId)) return undefined;
      before = current;
      effects = commandEffects(
        current,
        parsed.commands,
        parsed.body,
        patches,
        reporterKey,
        source.at,
      );
      const reply = this.replyOf(current, effects);
      refused =
        parsed.commands.some((c) => c.command.name === 'reporter-key') && !reporterKey
          ? `/reporter-key needs the reporter's new public key attached inside the signed mail (PGP/MIME, or an encrypted and signed mail), usable for encryption and with a user id naming ${current.reporter.address}`
          : reply && !reply.ok
            ? `/reply: ${reply.reason}`
            : (unknownCase ?? this.cannotCarryOut({ ...current, ...effects.fields }));
      if (refused) return undefined;
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
          ...(effects.note
            ? [
                {
                  id: `note:${source.id}`,
                  at: source.at,
                  type: 'note' as const,
                  actor: source.actor,
                  summary: `Note (maintainers only): ${effects.note}`,
                },
              ]
            : []),
          ...(reply?.ok
            ? [
                {
                  id: `canned-reply:${source.id}`,
                  at: source.at,
                  type: 'maintainer-reply' as const,
                  actor: source.actor,
                  summary: `Reply "${reply.label}" sent to the reporter ${current.reporter.address} (${reply.text.length} characters, /reply)`,
                },
              ]
            : []),
        ],
      };
    });
    if (refused) return this.refuse(updated, parsed.commands, source, effects, refused);
    const applied = updated.history.find((e) => e.id === eventId);
    const changes = applied?.changes ?? effects.changes;
    const dateSet = parsed.commands.some((c) => c.command.name === 'disclose');
    // Worked out before the planner runs: it sends an advance notice that is due at once.
    const warnings = dateSet
      ? disclosurePolicyWarnings(updated, this.deps.config, this.deps.clock.now())
      : [];
    // Also worked out before the planner runs, from the same rules it acts on.
    const mail = await this.mailOutlook(before, updated, parsed.commands, effects, source);
    await this.deps.onCaseChanged(updated);
    // Nothing goes to GitHub unless a maintainer asked for it with /ghsa (or fork, invite, cve).
    const requests = gitHubRequests(parsed.commands.map((c) => c.command));
    if (this.deps.github)
      updated = await this.deps.github.afterCommands(updated, requests, source.id);
    // After D, what the block changed in the OSV record goes to the repository too (once).
    const osv = this.deps.osv && updated.disclosedAt ? this.osvRecord(updated) : undefined;
    if (this.deps.osv && osv) updated = await this.deps.osv.afterChange(updated, osv, source.id);
    // And a new CSAF revision to the provider directory (once; nothing when it is the same).
    // It names the distributors that consented, with their signed statuses, as on D.
    const csaf =
      this.deps.csaf && updated.disclosedAt
        ? advisoryRecord(updated, this.deps.config, 'csaf', this.deps.clock.now(), {
            draft: false,
            distributors: publicDistributorStatements(updated, await this.deps.distributors.list()),
          })
        : undefined;
    if (this.deps.csaf && csaf)
      updated = await this.deps.csaf.afterChange(updated, csaf.content, source.id);
    await this.sendReply(updated, effects, source);
    const notes = [
      ...(requests.length && !this.deps.github ? [GITHUB_UNCONFIGURED] : []),
      ...(source.notes ?? []),
    ];
    const lines = parsed.commands.map((c) => c.text);
    await this.confirm(updated, { lines, changes, warnings, effects, notes, mail }, source);
    // Also on a retry: the outbox sends the same mail once.
    if (changes.some((c) => c.startsWith('duplicate of:')) && updated.duplicateOf) {
      await this.deps.mailer.toReporter(
        updated,
        duplicateNotice(updated, this.deps.config.project, `duplicate/${source.id}`),
      );
      // The earlier case's maintainers see who else found the bug, to credit them there.
      await this.deps.cases.update(
        updated.duplicateOf,
        appendOnce({
          id: `duplicate-linked:${updated.id}`,
          at: source.at,
          type: 'duplicate-linked',
          actor: source.actor,
          summary: `${updated.id}, reported by ${updated.reporter.address}, was closed as a duplicate of this case; /credit can credit its reporter here`,
          authentication: source.authentication,
        }),
      );
    }
    // Also on a retry: the acknowledger sends nothing once the case records the acknowledgment.
    if (parsed.commands.some((c) => c.command.name === 'ack') && !updated.ackHeld)
      updated = await this.deps.acknowledger.acknowledge(updated);
    return { record: updated, changes, warnings, effects, mail };
  }

  /** The canned reply a block asks for, worked out against the case as it is. */
  private replyOf(record: CaseRecord, effects: CommandEffects) {
    return effects.reply
      ? cannedReply(record, this.deps.config, effects.reply.template, effects.reply.rule)
      : undefined;
  }

  /** The case's public OSV record as built now (the disclosure builds it the same way). */
  private osvRecord(record: CaseRecord): Buffer | undefined {
    return advisoryRecord(record, this.deps.config, 'osv', this.deps.clock.now(), { draft: false })
      ?.content;
  }

  /** The commit of the changed OSV record, when the block changes what a published one says. */
  private osvEffects(before: CaseRecord, after: CaseRecord, maintainers: number): MailEffect[] {
    const { osv } = this.deps.config;
    const link = after.osvCommit;
    if (!this.deps.osv || !osv || !after.disclosedAt || !link) return [];
    const was = osvRecordDigest(this.osvRecord(before) ?? Buffer.alloc(0));
    const will = osvRecordDigest(this.osvRecord(after) ?? Buffer.alloc(0));
    if (was === will) return [];
    return [
      {
        when: 'sent now',
        text: `the changed OSV record committed to ${osv.repository} (${link.path}), and its commit's URL to ${countOf(maintainers, 'maintainer')}`,
      },
    ];
  }

  /** The new CSAF revision's publication, when the block makes the published document a new one. */
  private csafEffects(before: CaseRecord, after: CaseRecord, maintainers: number): MailEffect[] {
    const { config, clock } = this.deps;
    const dir = after.csafDirectory;
    if (!this.deps.csaf || !config.csaf || !after.disclosedAt || !dir) return [];
    const build = (r: CaseRecord) =>
      advisoryRecord(r, config, 'csaf', clock.now(), { draft: false })?.content.toString('utf8');
    if (build(before) === build(after)) return [];
    return [
      {
        when: 'sent now',
        text: `the new CSAF revision published in the CSAF provider directory of ${config.csaf.repository} (${dir.url}, with its hashes, signature and changes.csv), and the URLs to ${countOf(maintainers, 'maintainer')}`,
      },
    ];
  }

  /** Sends the reporter the canned reply (once: the outbox keys it by the block). */
  private async sendReply(
    record: CaseRecord,
    effects: CommandEffects,
    source: CommandSource,
  ): Promise<void> {
    const reply = this.replyOf(record, effects);
    if (!reply?.ok) return;
    await this.deps.mailer.toReporter(record, {
      key: `reply/${source.id}`,
      subject: caseSubject(record, `Reply from the ${this.deps.config.project} security team`),
      text: reply.text,
    });
  }

  /** What `apply` would change and send, without writing or sending anything. */
  async preview(
    record: CaseRecord,
    parsed: { commands: CommandLine[]; body: string },
    source: Pick<CommandSource, 'relay'>,
  ): Promise<CommandPreview> {
    const chosen = await this.chooseDistributors(parsed.commands);
    if (!chosen.ok)
      return { changes: [], warnings: [], mail: [], notes: [], refused: chosen.reason };
    parsed = { ...parsed, commands: chosen.commands };
    const now = this.deps.clock.now();
    const effects = commandEffects(
      record,
      parsed.commands,
      parsed.body,
      [],
      undefined,
      now.toISOString(),
    );
    const after = { ...record, ...effects.fields } as CaseRecord;
    const reply = this.replyOf(record, effects);
    const dateSet = parsed.commands.some((c) => c.command.name === 'disclose');
    const requests = gitHubRequests(parsed.commands.map((c) => c.command));
    return {
      changes: effects.changes,
      warnings: dateSet ? disclosurePolicyWarnings(after, this.deps.config, now) : [],
      mail: await this.mailOutlook(record, after, parsed.commands, effects, source),
      notes: requests.length && !this.deps.github ? [GITHUB_UNCONFIGURED] : [],
      ...(reply && !reply.ok ? { refused: `/reply: ${reply.reason}` } : {}),
    };
  }

  /**
   * `/distributors` names looked up on the list: the block with each choice filled in, or why
   * it cannot apply (a name that is not on the list, with the names that are).
   */
  private async chooseDistributors(
    commands: CommandLine[],
  ): Promise<{ ok: true; commands: CommandLine[] } | { ok: false; reason: string }> {
    const line = commands.find((c) => c.command.name === 'distributors');
    if (!line || line.command.name !== 'distributors') return { ok: true, commands };
    const { names } = line.command;
    if (names === 'all') return { ok: true, commands: withChoice(commands, line, 'all') };
    const list = await this.deps.distributors.list();
    const choice = chooseRecipients(list, names);
    if (!choice.ok)
      return {
        ok: false,
        reason: `${choice.unknown.map((n) => `"${n}"`).join(', ')} ${choice.unknown.length === 1 ? 'is' : 'are'} not on the distributor list; the list has ${choice.known.length ? choice.known.join(', ') : 'no distributors (npx embargo distributor add)'}`,
      };
    return { ok: true, commands: withChoice(commands, line, storedSelection(choice.chosen)) };
  }

  private async mailOutlook(
    before: CaseRecord,
    after: CaseRecord,
    commands: CommandLine[],
    effects: CommandEffects,
    source: Pick<CommandSource, 'relay'>,
  ): Promise<MailEffect[]> {
    const { config, clock, mailer, crypto } = this.deps;
    // Whom the case's notice goes to once the block applies: the chosen ones, or the list.
    const distributors = await Promise.all(
      caseRecipients(after, await this.deps.distributors.list()).map(async (d) => ({
        name: d.name,
        usable: (await crypto.inspectKey(d.publicKeyArmored)).usable,
      })),
    );
    const { keyed } = await mailer.maintainersByKey();
    return mailEffects(before, after, commands, effects, {
      config,
      now: clock.now(),
      distributors,
      maintainers: keyed.length,
      ...(source.relay ? { relay: source.relay } : {}),
    })
      .concat(this.osvEffects(before, after, keyed.length))
      .concat(this.csafEffects(before, after, keyed.length));
  }

  /** Why `/duplicate` cannot link the case: it names the case itself, or no case at all. */
  private async unknownDuplicateTarget(
    record: CaseRecord,
    commands: CommandLine[],
  ): Promise<string | undefined> {
    for (const { command } of commands) {
      if (command.name !== 'duplicate' && command.name !== 'not-duplicate') continue;
      if (!command.of) continue;
      if (command.of === record.id) return `/${command.name} names this case itself`;
      if (!(await this.deps.cases.get(command.of)))
        return `/${command.name} names ${command.of}, and there is no such case`;
    }
    return undefined;
  }

  /**
   * Why what a block triggers could not be done for the case it would leave, if so: checked
   * before the block is written, so that a failure after the write (a calendar invite that
   * cannot hold the date) does not leave the case changed, the intake retrying and nobody told.
   */
  private cannotCarryOut(proposed: CaseRecord): string | undefined {
    const { config, clock } = this.deps;
    try {
      const timeline = embargoTimeline(proposed, config);
      if (!timeline) return undefined;
      for (const at of [timeline.disclosureAt, timeline.advanceAt]) {
        const year = at.getUTCFullYear();
        if (Number.isNaN(at.getTime()) || year < 1 || year > 9999)
          return `the disclosure date ${proposed.disclosureAt} puts a notice outside the years 1–9999`;
      }
      caseInvite({
        record: proposed,
        config,
        attendee: { email: config.securityAddress },
        method: 'REQUEST',
        withAdvanceNotice: true,
        now: clock.now(),
      });
      return undefined;
    } catch (err) {
      return `the calendar invite for the disclosure date ${proposed.disclosureAt ?? ''} cannot be made (${errorMessage(err)})`;
    }
  }

  /** Records that a block was not applied, and tells its sender why (the CLI prints it). */
  private async refuse(
    record: CaseRecord,
    commands: CommandLine[],
    source: CommandSource,
    effects: CommandEffects,
    reason: string,
  ): Promise<AppliedCommands> {
    const key = `commands-not-applied/${source.id}`;
    const updated = await this.deps.cases.update(
      record.id,
      appendOnce({
        id: `commands-refused:${source.id}`,
        at: source.at,
        type: 'commands-refused',
        actor: source.actor,
        summary: `Commands not applied (nothing changed): ${reason}`,
        ...(source.messageId ? { messageId: source.messageId } : {}),
        ...(source.protection ? { protection: source.protection } : {}),
        authentication: source.authentication,
      }),
    );
    if (source.sender)
      await this.deps.mailer.toMaintainers(
        updated,
        () => ({
          key,
          subject: caseSubject(updated, 'Commands not applied'),
          text: [
            `None of the commands in your mail to ${updated.id} were applied, nothing changed and nothing was relayed:`,
            ...commands.map((c) => `  ${c.text}`),
            '',
            `Why: ${reason}.`,
            'Send the block again with that fixed.',
          ].join('\n'),
          ...(source.inReplyTo ? { inReplyTo: source.inReplyTo } : {}),
        }),
        key,
        { only: source.sender.email },
      );
    return { record: updated, changes: [], warnings: [], effects, refused: reason, mail: [] };
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
      mail: MailEffect[];
    },
    source: CommandSource,
  ): Promise<void> {
    const { lines, changes, warnings, effects, notes, mail } = outcome;
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
        ...(effects.note
          ? ['', 'Note (kept in the history, never relayed):', `  ${effects.note}`]
          : []),
        ...(warnings.length
          ? ['', 'Policy warnings about this date:', ...warnings.map((w) => `  ! ${w}`)]
          : []),
        ...(method === 'REQUEST'
          ? ['', 'The attached calendar invite holds the advance notice and the disclosure.']
          : method === 'CANCEL'
            ? ['', 'The attached calendar update cancels the notice dates.']
            : []),
        '',
        ...mailEffectLines(mail, 'Mail this causes:'),
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
    // A note and a canned reply concern the whole team, though they change no field.
    const select =
      changes.length || effects.note || effects.reply
        ? {}
        : source.sender
          ? { only: source.sender.email }
          : undefined;
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

function withChoice(
  commands: CommandLine[],
  line: CommandLine,
  chosen: { address: string; name: string }[] | 'all',
): CommandLine[] {
  return commands.map((c) =>
    c === line && c.command.name === 'distributors'
      ? { ...c, command: { ...c.command, chosen } }
      : c,
  );
}
