import { closest, distance } from 'fastest-levenshtein';
import { DateTime } from 'luxon';
import { parseCaseId, type CaseId } from '../cases/case-id';
import { parseCredits, type Credit } from '../advisories/advisory-credits';
import type { CvssScore } from '../advisories/cvss-score';
import { parseCvssVector } from '../advisories/cvss-vector';
import { parseCweIds } from '../advisories/cwe-ids';
import { parseVexCommand, type NotAffectedStatement } from '../advisories/vex-statements';
import { resolutions, severities, type Resolution, type Severity } from '../cases/case-record';

/** A maintainer command, GitLab quick-action style: `/name arguments` on its own line. */
export type CaseCommand =
  | { name: 'status' }
  | { name: 'ack' }
  | { name: 'title'; value: string }
  | { name: 'severity'; value: Severity }
  | { name: 'affected'; value: string }
  | { name: 'fixed'; value: string }
  | { name: 'cve'; value: string }
  | { name: 'cvss'; value: CvssScore }
  | { name: 'cwe'; value: string[] }
  | { name: 'credit'; value: Credit[] }
  | { name: 'vex'; value: NotAffectedStatement }
  | { name: 'ghsa' }
  | { name: 'ghsa-fork' }
  | { name: 'ghsa-invite'; login: string }
  | { name: 'cve-request' }
  | { name: 'advisory' }
  | { name: 'disclose'; at: string }
  | { name: 'urgent' }
  | { name: 'exploit'; held: boolean }
  | { name: 'internal' }
  | { name: 'reporter-key' }
  | {
      name: 'distributors';
      /** The names or addresses as written, or `all` for the whole list. */
      names: string[] | 'all';
      /** Filled in against the list before the block applies (CommandApplication). */
      chosen?: { address: string; name: string }[] | 'all';
    }
  | { name: 'close'; resolution: Resolution; duplicateOf?: CaseId }
  | { name: 'reopen' };

export interface CommandLine {
  /** 1-based line number in the mail text. */
  line: number;
  text: string;
  command: CaseCommand;
}

export interface CommandError {
  line: number;
  text: string;
  reason: string;
}

export type ParsedCommands =
  | { ok: true; commands: CommandLine[]; body: string }
  | { ok: false; errors: CommandError[]; body: string };

const MAX_TEXT = { title: 200, affected: 500, fixed: 500 } as const;
const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
const GITHUB_LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export const commandHelp = [
  '/status                      reply with the case summary and history',
  '/title <text>                set the title',
  '/severity low|medium|high|critical',
  '/affected <version range>    affected versions',
  '/fixed <versions>            versions with the fix',
  '/cve <CVE-YYYY-NNNN>         the CVE id',
  '/cvss <vector>               CVSS 3.1 or 4.0 vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
  '/cwe <CWE-NNN> [...]         the weakness(es), e.g. CWE-125',
  '/credit [type] <name> [@login]; ...   type: finder (default), reporter, analyst, coordinator, remediation developer, ...',
  '/vex not-affected <versions> <justification>   versions that are not affected, e.g. /vex not-affected <1.0 vulnerable_code_not_present',
  '/ghsa                        create the GitHub draft advisory from the case (later changes update it)',
  '/ghsa fork                   create its temporary private fork',
  '/ghsa invite <github login>  add a collaborator to the draft (e.g. the reporter)',
  '/cve request                 ask GitHub for a CVE id for the draft',
  '/advisory                    the rest of the mail becomes the advisory; .patch/.diff attachments the patches',
  '/disclose <date>              2026-12-10, 2026-12-10T15:00+01:00 or 2026-12-10 15:00 Europe/Berlin (UTC if no zone)',
  '/urgent                      time-sensitive: shorter advance notice',
  '/exploit held|published      exploits held back at disclosure: remind to post them after 7 days',
  '/distributors <name>, ...    the distributors this case goes to, by name or address (default: the whole list; "all" goes back to it)',
  '/internal                    do not relay this mail to the reporter',
  "/reporter-key                replace the reporter's key with the public key attached to this mail",
  '/ack                         send the acknowledgment that was held (the sender looked forged)',
  '/close fixed|invalid|wontfix|duplicate <case id>',
  '/reopen',
];

/** The years a disclosure date may name: four digits, as calendars, schedulers and ISO text need. */
export const DISCLOSURE_YEARS = { min: 1, max: 9999 } as const;

/** Every command name: for "did you mean", and to tell a command attempt from prose. */
const KNOWN_COMMANDS = [
  'status',
  'ack',
  'title',
  'severity',
  'affected',
  'fixed',
  'cve',
  'cvss',
  'cwe',
  'credit',
  'vex',
  'ghsa',
  'advisory',
  'disclose',
  'urgent',
  'exploit',
  'distributors',
  'internal',
  'reporter-key',
  'close',
  'reopen',
];
const COMMAND_NAMES = new Set(KNOWN_COMMANDS);

/** The three forms `/disclose` reads (parseDisclosureDate), for its errors. */
const DATE_FORMS =
  '2026-12-10 (midnight UTC), 2026-12-10T15:00+01:00 (ISO 8601 with a zone) or 2026-12-10 15:00 Europe/Berlin (date, time and zone name)';

/**
 * Parses a disclosure date: ISO 8601 or `YYYY-MM-DD HH:MM <zone>`; no zone means UTC. A date
 * whose UTC year is outside 1–9999 is no date: luxon reads `+275760-09-13`, which the calendar
 * invite cannot hold.
 */
export function parseDisclosureDate(text: string): DateTime | undefined {
  const options = { setZone: true, zone: 'utc' } as const;
  const iso = DateTime.fromISO(text, options);
  const parsed = iso.isValid ? iso : DateTime.fromSQL(text, options);
  if (!parsed.isValid) return undefined;
  const year = parsed.toUTC().year;
  return year >= DISCLOSURE_YEARS.min && year <= DISCLOSURE_YEARS.max ? parsed : undefined;
}

function parseOne(name: string, args: string, now: Date): CaseCommand | string {
  const noArgs = (command: CaseCommand) => (args ? `/${name} takes no arguments` : command);
  const text = (field: keyof typeof MAX_TEXT): CaseCommand | string => {
    if (!args) return `/${name} needs a value`;
    if (args.length > MAX_TEXT[field])
      return `/${name} is longer than ${MAX_TEXT[field]} characters`;
    return { name: field, value: args } as CaseCommand;
  };
  switch (name) {
    case 'status':
    case 'ack':
    case 'advisory':
    case 'urgent':
    case 'internal':
    case 'reopen':
    case 'reporter-key':
      return noArgs({ name });
    case 'title':
    case 'affected':
    case 'fixed':
      return text(name);
    case 'cvss': {
      if (!args) return '/cvss needs a vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N';
      const parsed = parseCvssVector(args);
      return parsed.ok ? { name, value: parsed.cvss } : parsed.reason;
    }
    case 'cwe': {
      const parsed = parseCweIds(args);
      return parsed.ok ? { name, value: parsed.cwes } : parsed.reason;
    }
    case 'credit': {
      const parsed = parseCredits(args);
      return parsed.ok ? { name, value: parsed.credits } : parsed.reason;
    }
    case 'vex': {
      const parsed = parseVexCommand(args);
      return parsed.ok ? { name, value: parsed.statement } : parsed.reason;
    }
    case 'severity': {
      const value = args.toLowerCase();
      return (severities as readonly string[]).includes(value)
        ? { name, value: value as Severity }
        : `severity must be one of ${severities.join(', ')}`;
    }
    case 'ghsa': {
      const [action, login, ...rest] = args.split(/\s+/).filter(Boolean);
      if (!action) return { name: 'ghsa' };
      if (action.toLowerCase() === 'fork' && !login) return { name: 'ghsa-fork' };
      if (action.toLowerCase() === 'invite' && login && !rest.length) {
        const name = login.replace(/^@/, '');
        return GITHUB_LOGIN.test(name)
          ? { name: 'ghsa-invite', login: name }
          : `"${login}" is not a GitHub login`;
      }
      return '/ghsa takes nothing, "fork", or "invite <github login>"';
    }
    case 'cve':
      if (args.toLowerCase() === 'request') return { name: 'cve-request' };
      return CVE_ID.test(args)
        ? { name, value: args.toUpperCase() }
        : 'a CVE id looks like CVE-2026-12345 (or /cve request, to ask GitHub for one)';
    case 'exploit': {
      const value = args.toLowerCase();
      return value === 'held' || value === 'published'
        ? { name, held: value === 'held' }
        : '/exploit needs held or published';
    }
    case 'disclose': {
      if (!args) return `/disclose needs a date: ${DATE_FORMS}`;
      const at = parseDisclosureDate(args);
      if (!at)
        return `"${args}" is not a date in the years ${DISCLOSURE_YEARS.min}–${DISCLOSURE_YEARS.max}; use ${DATE_FORMS}`;
      if (at.toMillis() <= now.getTime()) return `${at.toUTC().toISO()} is not in the future`;
      return { name, at: at.toUTC().toISO() ?? '' };
    }
    case 'distributors': {
      if (args.toLowerCase() === 'all') return { name, names: 'all' };
      const names = args
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);
      return names.length
        ? { name, names }
        : '/distributors needs names from the distributor list, separated by commas (or "all")';
    }
    case 'close': {
      const [resolution, target, ...rest] = args.split(/\s+/).filter(Boolean);
      if (!resolution || !(resolutions as readonly string[]).includes(resolution.toLowerCase())) {
        return `/close needs one of ${resolutions.join(', ')}`;
      }
      const kind = resolution.toLowerCase() as Resolution;
      if (rest.length) return '/close has too many arguments';
      if (kind !== 'duplicate') {
        return target ? `/close ${kind} takes no case id` : { name, resolution: kind };
      }
      const duplicateOf = target ? parseCaseId(target) : undefined;
      return duplicateOf
        ? { name, resolution: kind, duplicateOf }
        : '/close duplicate needs the id of the original case, e.g. SEC-2026-0001';
    }
    default: {
      const near = closest(name, KNOWN_COMMANDS);
      return distance(name, near) <= 2
        ? `unknown command /${name} (did you mean /${near}?)`
        : `unknown command /${name}; \`npx embargo command --help\` lists the commands`;
    }
  }
}

/** Whether the mail opens with at least one line naming a known command (an attempt to command). */
export function attemptsCommands(text: string): boolean {
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('/')) return false;
    if (COMMAND_NAMES.has(/^\/([A-Za-z-]*)/.exec(trimmed)?.[1]?.toLowerCase() ?? '')) return true;
  }
  return false;
}

/**
 * Command lines below other text of a mail with no command block at its start (text above a
 * quote, a command below it): taken for nothing, such a line would be relayed to the reporter,
 * an `/internal` among them too. Each is an error, so nothing applies and nothing is relayed.
 */
export function strayCommandLines(text: string): CommandError[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .flatMap((line, index) => {
      const name = /^\s*\/([A-Za-z-]+)(?:\s|$)/.exec(line)?.[1]?.toLowerCase();
      return name && COMMAND_NAMES.has(name)
        ? [
            {
              line: index + 1,
              text: line.trim(),
              reason:
                'commands must come before any other text of yours (above the quote, or first below it)',
            },
          ]
        : [];
    });
}

/**
 * Finds the commands at the start of a mail: lines beginning with `/` before any other text or
 * quoted text. Every line in that block must be a valid command; otherwise nothing applies.
 */
export function parseCommands(text: string, now: Date): ParsedCommands {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const commands: CommandLine[] = [];
  const errors: CommandError[] = [];
  const seen = new Set<string>();
  let index = 0;
  for (; index < lines.length; index++) {
    const raw = lines[index]!;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('/')) break;
    const match = /^\/([A-Za-z-]*)\s*(.*)$/.exec(trimmed);
    const name = match?.[1]?.toLowerCase() ?? '';
    const parsed = parseOne(name, match?.[2]?.trim() ?? '', now);
    if (typeof parsed === 'string') {
      errors.push({ line: index + 1, text: trimmed, reason: parsed });
    } else if (seen.has(parsed.name)) {
      errors.push({
        line: index + 1,
        text: trimmed,
        reason: `/${parsed.name} is given more than once`,
      });
    } else {
      seen.add(parsed.name);
      commands.push({ line: index + 1, text: trimmed, command: parsed });
    }
  }
  const body = lines.slice(index).join('\n').trim();
  if (seen.has('advisory') && !body) {
    const line = commands.find((c) => c.command.name === 'advisory')!;
    errors.push({
      line: line.line,
      text: line.text,
      reason: '/advisory needs the advisory text after the commands',
    });
  }
  if (seen.has('close') && seen.has('reopen')) {
    const line = commands.find((c) => c.command.name === 'reopen')!;
    errors.push({
      line: line.line,
      text: line.text,
      reason: '/close and /reopen contradict each other',
    });
  }
  return errors.length ? { ok: false, errors, body } : { ok: true, commands, body };
}
