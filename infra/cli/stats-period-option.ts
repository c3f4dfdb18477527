import { DateTime } from 'luxon';
import { EmbargoError } from '../../shared/errors';
import type { StatsPeriod } from '../../shared/stats/stats-period';

/** The forms a day may take on the command line, each with the span it names. */
const forms: { pattern: RegExp; unit: 'year' | 'month' | 'day' }[] = [
  { pattern: /^\d{4}$/, unit: 'year' },
  { pattern: /^\d{4}-\d{2}$/, unit: 'month' },
  { pattern: /^\d{4}-\d{2}-\d{2}$/, unit: 'day' },
];

/** The span a `--from`/`--to`/`--year` value names, in UTC (luxon parses and checks it). */
function span(option: string, value: string): { start: Date; end: Date } {
  const form = forms.find((f) => f.pattern.test(value));
  const at = DateTime.fromISO(value, { zone: 'utc' });
  if (!form || !at.isValid)
    throw new EmbargoError(
      'USAGE',
      `${option} "${value}" is not a year, month or day.`,
      'Write it as YYYY, YYYY-MM or YYYY-MM-DD (UTC), for example 2026-03-31.',
    );
  return { start: at.toJSDate(), end: at.plus({ [`${form.unit}s`]: 1 }).toJSDate() };
}

/**
 * The period of `stats`: from the start of `--from` up to the end of `--to` (both included),
 * or the calendar year `--year`; unbounded where not given.
 */
export function statsPeriodOption(opts: {
  from?: string;
  to?: string;
  year?: string;
}): StatsPeriod {
  if (opts.year !== undefined) {
    if (opts.from !== undefined || opts.to !== undefined)
      throw new EmbargoError(
        'USAGE',
        '--year names a whole period; it does not go with --from or --to.',
        'Give --year alone, or --from and --to.',
      );
    if (!/^\d{4}$/.test(opts.year))
      throw new EmbargoError(
        'USAGE',
        `--year "${opts.year}" is not a year.`,
        'Write it as four digits, for example --year 2026.',
      );
    return span('--year', opts.year);
  }
  const start = opts.from !== undefined ? span('--from', opts.from).start : undefined;
  const end = opts.to !== undefined ? span('--to', opts.to).end : undefined;
  if (start && end && start >= end)
    throw new EmbargoError(
      'USAGE',
      `--from ${opts.from} is after --to ${opts.to}: the period is empty.`,
      'Give a --from on or before --to.',
    );
  return { start, end };
}
