import { countOf } from '../mail/count-text';
import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRecord } from '../cases/case-record';
import type { CalendarPart } from '../outbound/outbound-message';
import { splitAddress } from '../addresses/security-address';
import { embargoTimeline } from './embargo-timeline';

export type InviteMethod = CalendarPart['method'];

const HOUR = 3_600_000;

/**
 * A parameter value (CN) as RFC 6868 encodes it: `^` as `^^`, a line break as `^n`, `"` as `^'`;
 * other control characters go. ical-generator writes `"` as `\"`, which RFC 5545 does not know,
 * so a name like `x";X=1:mailto:eve@…` ended the quoted string and added an attendee.
 */
export function calendarParameterValue(value: string): string {
  return (
    value
      .replace(/\^/g, '^^')
      .replace(/\r\n|\r|\n/g, '^n')
      .replace(/"/g, "^'")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, '')
  );
}

/** The stable UID of a case's event, so that a new date updates it and `/close` cancels it. */
export function calendarUid(record: CaseRecord, config: EmbargoConfig, kind: string): string {
  const domain = splitAddress(config.securityAddress)?.domain ?? 'localhost';
  return `${record.id.toLowerCase()}-${kind}@${domain}`;
}

/**
 * An iCalendar invite (RFC 5545/5546, made by ical-generator) for a case's dates: the advance
 * notice at D − N (for maintainers, unless the case is an upstream announcement) and the public
 * disclosure at D. The case version is the SEQUENCE, so every later invite supersedes the
 * earlier ones; CANCEL withdraws them.
 */
export function caseInvite(input: {
  record: CaseRecord;
  config: EmbargoConfig;
  attendee: { email: string; name?: string };
  method: InviteMethod;
  /** The reporter's invite carries only the disclosure. */
  withAdvanceNotice: boolean;
  now: Date;
}): CalendarPart | undefined {
  const { record, config, method } = input;
  const timeline = embargoTimeline(record, config);
  if (!timeline) return undefined;
  const calendar = ical({
    prodId: { company: config.project, product: 'Embargo', language: 'EN' },
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  const common = {
    sequence: record.version,
    stamp: input.now,
    organizer: {
      name: calendarParameterValue(`${config.project} security team`),
      email: config.securityAddress,
    },
    attendees: [
      {
        email: input.attendee.email,
        name: input.attendee.name ? calendarParameterValue(input.attendee.name) : null,
        rsvp: false,
      },
    ],
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  };
  if (input.withAdvanceNotice && record.kind !== 'upstream') {
    calendar.createEvent({
      ...common,
      id: calendarUid(record, config, 'advance'),
      start: timeline.advanceAt,
      end: new Date(timeline.advanceAt.getTime() + HOUR),
      summary: `${record.id}: advance notice to distributors`,
      description: `Embargo sends the advance notice for ${record.id} to the distributors (${countOf(timeline.advanceDays, 'day')} before disclosure).`,
    });
  }
  calendar.createEvent({
    ...common,
    id: calendarUid(record, config, 'disclosure'),
    start: timeline.disclosureAt,
    end: new Date(timeline.disclosureAt.getTime() + HOUR),
    summary: `${record.id}: public disclosure`,
    description: `The embargo on ${record.id} ends and the advisory is published.`,
  });
  return { method, content: calendar.toString() };
}
