import { DateTime } from 'luxon';
import { distributorStatuses, type DistributorStatus } from '../cases/case-recipient';

/** A line a distributor may write in its answer to a notice or an invitation. */
export type DistributorAnswer =
  | { kind: 'received' }
  | { kind: 'accept' }
  | { kind: 'decline' }
  | { kind: 'status'; value: DistributorStatus; detail?: string }
  | { kind: 'need-date'; date: string; reason: string };

export interface DistributorAnswerLine {
  line: number;
  text: string;
  answer: DistributorAnswer;
}

export interface ParsedAnswers {
  answers: DistributorAnswerLine[];
  /** Lines that look like answers but are not valid, with why. */
  errors: { line: number; text: string; reason: string }[];
  /** The text after the answer lines: free text for the maintainers. */
  body: string;
}

/** For the notice and the invitation: what a distributor can answer. */
export const distributorAnswerHelp = [
  '/received                    you have it and will keep the date',
  '/status affected|not-affected|fixed [version or package]',
  '/need-date <date> <reason>   ask to move the date (2027-01-20)',
  '/accept, /decline            answer an invitation',
];

const MAX_DETAIL = 200;
const MAX_REASON = 500;

/** A requested date: `YYYY-MM-DD` (midnight UTC) or ISO 8601 with a zone; UTC if none. */
function requestedDate(text: string): DateTime | undefined {
  const parsed = DateTime.fromISO(text, { zone: 'utc', setZone: true });
  return parsed.isValid && parsed.toUTC().year <= 9999 ? parsed.toUTC() : undefined;
}

function parseOne(name: string, args: string): DistributorAnswer | string {
  switch (name) {
    case 'received':
    case 'accept':
    case 'decline':
      return args ? `/${name} takes no arguments` : { kind: name };
    case 'status': {
      const [value, ...rest] = args.split(/\s+/).filter(Boolean);
      const status = value?.toLowerCase();
      if (!status || !(distributorStatuses as readonly string[]).includes(status))
        return `/status needs one of ${distributorStatuses.join(', ')}, then a version or package if you like`;
      const detail = rest.join(' ');
      if (detail.length > MAX_DETAIL)
        return `the version or package is longer than ${MAX_DETAIL} characters`;
      return { kind: 'status', value: status as DistributorStatus, ...(detail ? { detail } : {}) };
    }
    case 'need-date': {
      const [date, ...rest] = args.split(/\s+/).filter(Boolean);
      const at = date ? requestedDate(date) : undefined;
      if (!at) return '/need-date needs a date (2027-01-20 or 2027-01-20T14:00Z), then the reason';
      const reason = rest.join(' ');
      if (!reason) return '/need-date needs a reason after the date';
      if (reason.length > MAX_REASON) return `the reason is longer than ${MAX_REASON} characters`;
      return { kind: 'need-date', date: at.toISO()!, reason };
    }
    default:
      return `/${name} is not an answer a distributor can give (${['received', 'status', 'need-date', 'accept', 'decline'].map((n) => `/${n}`).join(', ')})`;
  }
}

/**
 * The answer lines at the start of a distributor's own text (quotes already removed), as
 * maintainers' commands are read: lines starting with `/` before any other text. The rest is
 * free text for the maintainers.
 */
export function parseDistributorAnswers(text: string): ParsedAnswers {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const answers: DistributorAnswerLine[] = [];
  const errors: ParsedAnswers['errors'] = [];
  let index = 0;
  for (; index < lines.length; index++) {
    const trimmed = lines[index]!.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('/')) break;
    const match = /^\/([A-Za-z-]*)\s*(.*)$/.exec(trimmed);
    const parsed = parseOne(match?.[1]?.toLowerCase() ?? '', match?.[2]?.trim() ?? '');
    if (typeof parsed === 'string') errors.push({ line: index + 1, text: trimmed, reason: parsed });
    else answers.push({ line: index + 1, text: trimmed, answer: parsed });
  }
  return { answers, errors, body: lines.slice(index).join('\n').trim() };
}
