import type { CaseCommand, CommandLine } from './case-commands';
import { creditText } from '../advisories/advisory-credits';
import { cvssText } from '../advisories/cvss-score';
import { notAffectedText, type NotAffectedStatement } from '../advisories/vex-statements';
import type { CaseId } from '../cases/case-id';
import type {
  CaseDetails,
  CaseRecord,
  CaseStatus,
  PatchFile,
  ReporterKey,
  Resolution,
} from '../cases/case-record';
import type { EmbargoConfig } from '../config/embargo-config';
import { countOf } from '../mail/count-text';
import { embargoTimeline } from '../notices/embargo-timeline';
import { ossReminderAt } from '../notices/oss-reminder';
import { chosenSinceNotice, SUMMARY_BEFORE_MS } from '../notices/embargo-planner';
import { formatUtc } from '../time/utc-text';
import { cannedReply } from '../triage/reply-templates';

export interface CommandEffects {
  fields: Partial<CaseDetails> & {
    status?: CaseStatus;
    reporterKey?: ReporterKey;
    notDuplicateOf?: CaseId[];
  };
  /** `field: old → new` lines, for the confirmation and the history. */
  changes: string[];
  internal: boolean;
  wantsStatus: boolean;
  /** The `/note` text, recorded as a note event of its own. */
  note?: string;
  /** The canned reply `/reply` sends the reporter. */
  reply?: { template: string; rule?: string };
}

const show = (value: unknown) => (value === undefined || value === '' ? '(unset)' : String(value));
const patchCount = (value: unknown) =>
  Array.isArray(value) ? countOf(value.length, 'patch', 'patches') : show(value);

/** An advisory in one line of the history: its first line, and how long it is. */
function advisoryText(value: unknown): string {
  if (typeof value !== 'string' || !value) return show(value);
  const lines = value.split('\n');
  const first = lines[0]!.length > 60 ? `${lines[0]!.slice(0, 60)}…` : lines[0]!;
  return lines.length > 1 ? `"${first}" (${countOf(lines.length, 'line')})` : `"${first}"`;
}

function caseCreditsText(record: CaseRecord): string {
  return record.credit ? creditText({ name: record.credit, type: 'finder' }) : '(unset)';
}

/**
 * What a mail's commands change, worked out against the case as it is. Pure: the caller
 * writes the fields and the event together, so a mail's commands apply all or nothing.
 */
export function commandEffects(
  record: CaseRecord,
  commands: CommandLine[],
  body: string,
  patches: PatchFile[],
  /** The key `/reporter-key` sets: attached to the maintainer's signed mail. */
  reporterKey?: ReporterKey,
  /** When the block is applied: an ending records it (`resolvedAt`). */
  at: string = new Date().toISOString(),
): CommandEffects {
  const fields: CommandEffects['fields'] = {};
  const changes: string[] = [];
  const set = <K extends keyof CommandEffects['fields']>(
    key: K,
    value: CommandEffects['fields'][K],
    label = String(key),
    format: (value: unknown) => string = patchCount,
  ) => {
    const before = key in fields ? fields[key] : (record as CommandEffects['fields'])[key];
    if (JSON.stringify(before) === JSON.stringify(value)) return;
    fields[key] = value;
    changes.push(`${label}: ${format(before)} → ${format(value)}`);
  };
  /** An ending, with when it was recorded; the same ending again changes nothing. */
  const end = (resolution: Resolution, reason?: string, duplicateOf?: CaseId) => {
    const same =
      record.status === 'closed' &&
      record.resolution === resolution &&
      record.resolutionReason === reason &&
      record.duplicateOf === duplicateOf;
    set('status', 'closed');
    set('resolution', resolution);
    set('resolutionReason', reason, 'reason');
    if (duplicateOf) set('duplicateOf', duplicateOf, 'duplicate of');
    if (!same) set('resolvedAt', at, 'ended');
  };
  const labels = (add: string[], remove: string[]) => {
    const current = new Set(fields.labels ?? record.labels ?? []);
    for (const label of add) current.add(label);
    for (const label of remove) current.delete(label);
    const next = [...current].sort();
    set('labels', next.length ? next : undefined, 'labels', (v) =>
      Array.isArray(v) && v.length ? v.join(', ') : '(none)',
    );
  };
  const apply: { [N in CaseCommand['name']]: (c: Extract<CaseCommand, { name: N }>) => void } = {
    status: () => {},
    internal: () => {},
    'reporter-key': () => {
      if (reporterKey)
        set('reporterKey', reporterKey, 'reporter key', (v) =>
          v ? (v as ReporterKey).fingerprint : '(none)',
        );
    },
    // GitHub requests change the case once GitHub answers (shared/github-advisory).
    ghsa: () => {},
    'ghsa-fork': () => {},
    'ghsa-invite': () => {},
    'cve-request': () => {},
    ack: () => set('ackHeld', undefined, 'acknowledgment held'),
    title: (c) => set('title', c.value),
    severity: (c) => set('severity', c.value),
    affected: (c) => set('affected', c.value),
    fixed: (c) => set('fixed', c.value),
    cve: (c) => set('cve', c.value),
    cvss: (c) => {
      set('cvss', c.value, 'CVSS', (v) => (v ? cvssText(v as typeof c.value) : show(v)));
      if (c.value.rating !== 'none') set('severity', c.value.rating);
    },
    cwe: (c) => set('cwes', c.value, 'CWE', (v) => (Array.isArray(v) ? v.join(', ') : show(v))),
    credit: (c) => {
      const before = caseCreditsText(record);
      set('credits', c.value, 'credit', (v) =>
        Array.isArray(v) ? v.map(creditText).join('; ') : before,
      );
      // The typed credits replace the plain name older cases stored.
      if (record.credit !== undefined) fields.credit = undefined;
    },
    // Statements add up (one per range); the same range again replaces its justification.
    vex: (c) => {
      const current = (fields.notAffected ?? record.notAffected ?? []).filter(
        (s) => s.versions !== c.value.versions,
      );
      set('notAffected', [...current, c.value], 'not affected', (v) =>
        Array.isArray(v) && v.length > 0
          ? (v as NotAffectedStatement[]).map(notAffectedText).join('; ')
          : show(undefined),
      );
    },
    advisory: () => {
      set('advisory', body, 'advisory', advisoryText);
      if (patches.length) set('patches', patches);
    },
    disclose: (c) => {
      const before = fields.disclosureAt ?? record.disclosureAt;
      set('disclosureAt', c.at, 'disclosure date');
      // Counted, not shown: it names the round of notices this date gets (notices/notice-round.ts).
      if (before !== c.at) fields.dateChanges = (record.dateChanges ?? 0) + 1;
    },
    urgent: () => set('urgent', true),
    distributors: (c) => {
      if (!c.chosen) return;
      set('distributorSelection', c.chosen === 'all' ? undefined : c.chosen, 'distributors', (v) =>
        Array.isArray(v)
          ? (v as { name: string }[]).map((d) => d.name).join(', ')
          : 'the whole list',
      );
    },
    exploit: (c) => set('exploitHeld', c.held, 'exploits held back'),
    close: (c) => end(c.resolution, c.reason, c.duplicateOf),
    invalid: (c) => end('invalid', c.reason),
    duplicate: (c) => end('duplicate', undefined, c.of),
    // Without an id: every case the intake flagged. A case closed as a duplicate of one of them
    // is opened again.
    'not-duplicate': (c) => {
      const ids = c.of ? [c.of] : (record.possibleDuplicates ?? []).map((d) => d.caseId);
      const current = fields.notDuplicateOf ?? record.notDuplicateOf ?? [];
      set('notDuplicateOf', [...new Set([...current, ...ids])], 'not a duplicate of', (v) =>
        Array.isArray(v) && v.length ? v.join(', ') : show(undefined),
      );
      const closedAs = fields.duplicateOf ?? record.duplicateOf;
      if (closedAs && ids.includes(closedAs)) {
        set('status', record.disclosedAt ? 'disclosed' : 'triaged');
        set('resolution', undefined);
        set('duplicateOf', undefined, 'duplicate of');
        set('resolutionReason', undefined, 'reason');
        set('resolvedAt', undefined, 'ended');
      }
    },
    reopen: () => {
      set('status', record.disclosedAt ? 'disclosed' : 'triaged');
      set('resolution', undefined);
      set('resolutionReason', undefined, 'reason');
      set('resolvedAt', undefined, 'ended');
    },
    note: () => {},
    label: (c) => labels(c.labels, []),
    unlabel: (c) => labels([], c.labels),
    reply: () => {},
  };
  for (const { command } of commands) (apply[command.name] as (c: CaseCommand) => void)(command);
  const closing = commands.some((c) => ['close', 'invalid', 'duplicate'].includes(c.command.name));
  if (changes.length && record.status === 'new' && !closing) set('status', 'triaged');
  return {
    fields,
    changes,
    internal: commands.some((c) => c.command.name === 'internal'),
    wantsStatus: commands.some((c) => c.command.name === 'status'),
    ...noteAndReply(commands),
  };
}

function noteAndReply(commands: CommandLine[]): Pick<CommandEffects, 'note' | 'reply'> {
  const out: Pick<CommandEffects, 'note' | 'reply'> = {};
  for (const { command } of commands) {
    if (command.name === 'note') out.note = command.text;
    if (command.name === 'reply')
      out.reply = { template: command.template, ...(command.rule ? { rule: command.rule } : {}) };
  }
  return out;
}

/** One mail a command block sends, schedules, holds back or cancels, and to whom. */
export interface MailEffect {
  when: 'sent now' | 'scheduled' | 'held' | 'cancelled';
  /** What and to whom, by name or count: never a distributor's address. */
  text: string;
  /** The exact text of the mail, where the maintainers should see it (a canned reply). */
  body?: string;
}

export interface MailOutlookContext {
  config: EmbargoConfig;
  now: Date;
  /** The distributor list: names, and whether each key can be encrypted to. */
  distributors: { name: string; usable: boolean }[];
  /** The maintainers whose key can be encrypted to (they get the confirmations). */
  maintainers: number;
  /** How the rest of a mail goes on: to the reporter, to the maintainers only (/internal). */
  relay?: 'reporter' | 'maintainers';
}

const names = (list: string[]) => (list.length ? ` (${list.join(', ')})` : '');

function distributorsText(context: MailOutlookContext): string {
  const usable = context.distributors.filter((d) => d.usable).map((d) => d.name);
  const unusable = context.distributors.filter((d) => !d.usable).map((d) => d.name);
  const skipped = unusable.length
    ? `; ${countOf(unusable.length, 'distributor')} skipped for an unusable key${names(unusable)}`
    : '';
  return `${countOf(usable.length, 'distributor')}${names(usable)}, each encrypted to its own key${skipped}`;
}

const TOUCHES_NOTICES = [
  'disclosureAt',
  'urgent',
  'advisory',
  'patches',
  'status',
  'exploitHeld',
  'distributorSelection',
];

/**
 * Every mail a command block causes, worked out from the case before and after it (pure): the
 * confirmation, what the embargo planner sends at once or schedules (shared/notices/
 * embargo-planner.ts acts on the same rules), what it holds back and why, and what it cancels.
 * The CLI prints it (also for --dry-run, without applying), the confirmation mail carries it.
 */
export function mailEffects(
  before: CaseRecord,
  after: CaseRecord,
  commands: CommandLine[],
  effects: CommandEffects,
  context: MailOutlookContext,
): MailEffect[] {
  const { config, now } = context;
  const out: MailEffect[] = [];
  const given = (name: CaseCommand['name']) => commands.some((c) => c.command.name === name);
  const maintainers = countOf(context.maintainers, 'maintainer');
  if (effects.changes.length) {
    out.push({ when: 'sent now', text: `the confirmation of these changes to ${maintainers}` });
  } else if (effects.wantsStatus) {
    out.push({ when: 'sent now', text: 'the case summary to whoever asked (/status)' });
  }
  if (effects.note)
    out.push({ when: 'sent now', text: `the note to ${maintainers} (never to the reporter)` });
  if (effects.reply) {
    const reply = cannedReply(after, config, effects.reply.template, effects.reply.rule);
    if (reply.ok)
      out.push({
        when: 'sent now',
        text: `the reply "${reply.label}" to the reporter ${after.reporter.address}${after.reporterKey ? ', encrypted to their key' : ''}:`,
        body: reply.text,
      });
  }
  if (context.relay === 'reporter')
    out.push({ when: 'sent now', text: 'the text after the commands to the reporter' });
  if (context.relay) out.push({ when: 'sent now', text: `a copy of the text to ${maintainers}` });
  if (given('duplicate') && after.duplicateOf && before.duplicateOf !== after.duplicateOf)
    out.push({
      when: 'sent now',
      text: 'to the reporter: the issue is already known and being handled (nothing about the other case or its reporter)',
    });
  if (given('ack') && before.ackHeld && !after.ackHeld)
    out.push({ when: 'sent now', text: 'the acknowledgment that was held, to the reporter' });
  else if (after.ackHeld && !after.acknowledgedAt)
    out.push({
      when: 'held',
      text: 'the acknowledgment to the reporter: the sender looked forged; /ack sends it',
    });

  const date = after.disclosureAt;
  const touched = TOUCHES_NOTICES.some((field) => field in effects.fields);
  if (!date) return out;
  const pendingBefore =
    before.disclosureAt !== undefined && !before.disclosedAt && before.status !== 'closed';
  if (after.status === 'closed' || after.disclosedAt) {
    if (pendingBefore && after.status === 'closed')
      out.push({
        when: 'cancelled',
        text: `the notices for ${formatUtc(before.disclosureAt!)} (the case is closed); the maintainers' calendars get a cancellation`,
      });
    return out.concat(ossReminderEffects(before, after, config));
  }
  const timeline = embargoTimeline(after, config)!;
  const advanceSent = after.advanceNoticesSent?.includes(date) ?? false;
  const due = !advanceSent && timeline.advanceAt.getTime() <= now.getTime();
  const noticeDays = countOf(timeline.advanceDays, 'day');
  if (after.kind !== 'upstream' && due) {
    if (after.advisory) {
      out.push(
        { when: 'sent now', text: `the advance notice to ${distributorsText(context)}` },
        { when: 'sent now', text: 'the disclosure date to the reporter, with a calendar invite' },
        { when: 'sent now', text: `the list of distributors notified to ${maintainers}` },
      );
    } else {
      const told = before.history.some((e) => e.id === `notice-blocked:advance:${date}`);
      out.push({
        when: 'held',
        text:
          `the advance notice to ${distributorsText(context)} (due since ${formatUtc(timeline.advanceAt.toISOString())}, ${noticeDays} before): ` +
          'the case has no advisory text yet; /advisory <text> sends it at once and tells the reporter the date',
      });
      if (!told)
        out.push({
          when: 'sent now',
          text: `"The advance notice was NOT sent" to ${maintainers}`,
        });
    }
  } else if (advanceSent && after.kind !== 'upstream' && 'distributorSelection' in effects.fields) {
    const late = chosenSinceNotice(after).map((d) => d.name);
    if (late.length)
      out.push({
        when: 'sent now',
        text: `the advance notice to ${late.join(', ')} (chosen after this date's notice went out), each encrypted to its own key, and a note of it to ${maintainers}`,
      });
  } else if (touched && after.kind !== 'upstream' && !advanceSent) {
    out.push({
      when: 'scheduled',
      text: `the advance notice to ${distributorsText(context)} on ${formatUtc(timeline.advanceAt.toISOString())} (${noticeDays} before), and the date to the reporter then${after.advisory ? '' : '; held unless the case has advisory text by then (/advisory)'}`,
    });
  }
  if (touched || due) {
    out.push({
      when: 'scheduled',
      text: `the public notice to ${config.announceAddress} on ${formatUtc(date)}, and the disclosure-day checklist to ${maintainers}${after.advisory ? '' : '; held unless the case has advisory text by then'}`,
    });
    if (after.kind !== 'upstream')
      out.push(...followUpEffects(date, timeline.advanceAt, now, config, maintainers));
  }
  return out.concat(ossReminderEffects(before, after, config));
}

/** What the planner schedules after the advance notice (notices/embargo-planner.ts). */
function followUpEffects(
  date: string,
  advanceAt: Date,
  now: Date,
  config: EmbargoConfig,
  maintainers: string,
): MailEffect[] {
  const summaryAt = new Date(Date.parse(date) - SUMMARY_BEFORE_MS);
  const noticeAt = Math.max(advanceAt.getTime(), now.getTime());
  const remind = noticeAt + config.distributorReminderDays * 86_400_000 < Date.parse(date);
  return [
    ...(remind
      ? [
          {
            when: 'scheduled' as const,
            text: `one reminder to each recipient that has not confirmed the date ${countOf(config.distributorReminderDays, 'day')} after its notice, and who is silent to ${maintainers}`,
          },
        ]
      : []),
    ...(summaryAt.getTime() > now.getTime()
      ? [
          {
            when: 'scheduled' as const,
            text: `the summary of the recipients (confirmed, affected, silent) to ${maintainers} on ${formatUtc(summaryAt.toISOString())}`,
          },
        ]
      : []),
  ];
}

function ossReminderEffects(
  before: CaseRecord,
  after: CaseRecord,
  config: EmbargoConfig,
): MailEffect[] {
  const at = ossReminderAt(after, config);
  const was = ossReminderAt(before, config);
  if (at && at.getTime() !== was?.getTime())
    return [
      {
        when: 'scheduled',
        text: `a reminder to the maintainers on ${formatUtc(at.toISOString())} to post the exploits held back to ${config.ossSecurity}`,
      },
    ];
  if (was && !at)
    return [{ when: 'cancelled', text: 'the reminder to post the exploits held back' }];
  return [];
}

/** The effects as lines for a terminal or a mail, under a heading. */
export function mailEffectLines(list: MailEffect[], heading = 'Mail:'): string[] {
  if (!list.length) return [`${heading} none`];
  const width = Math.max(...list.map((e) => e.when.length));
  const indent = ' '.repeat(width + 4);
  return [
    heading,
    ...list.flatMap((e) => [
      `  ${e.when.padEnd(width)}  ${e.text}`,
      ...(e.body ?? '').split('\n').flatMap((line) => (e.body ? [`${indent}| ${line}`] : [])),
    ]),
  ];
}
