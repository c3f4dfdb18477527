import ICAL from 'ical.js';
import { caseInvite } from '../../shared/notices/calendar-invite';
import { caseRecord } from '../support/case-builder';
import { testConfig } from '../support/local-stores';

const DAY = 86_400_000;

/** The attendees of every event, as a real iCalendar parser (ical.js) reads the invite. */
function attendees(ics: string): { address: string; name: unknown }[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').flatMap((event) =>
    event.getAllProperties('attendee').map((p) => ({
      address: String(p.getFirstValue()).toLowerCase(),
      name: p.getParameter('cn'),
    })),
  );
}

/**
 * Issue 25 ("Calendar"): a reporter's display name with `"` and `:` injected an attendee, since
 * ical-generator escapes `"` as `\"`, which RFC 5545 and RFC 6868 do not allow.
 */
describe('calendar invites: parameter values (issue 25, RFC 6868)', () => {
  const invite = (name: string) =>
    caseInvite({
      record: caseRecord('SEC-2026-0001', {
        disclosureAt: new Date(Date.now() + 20 * DAY).toISOString(),
      }),
      config: testConfig,
      attendee: { email: 'alice@example.net', name },
      method: 'REQUEST',
      withAdvanceNotice: true,
      now: new Date(),
    })!.content;

  it.each([
    ['a quote and a colon', 'Alice";RSVP=TRUE:mailto:eve@evil.test'],
    ['a quote, a line break and a property', 'Alice"\r\nATTENDEE:mailto:eve@evil.test'],
    ['a caret, a backslash-quote and a semicolon', 'A^l\\";ice:mailto:eve@evil.test'],
  ])(
    'keeps a display name with %s as the one attendee’s name, adding no address',
    (_label, name) => {
      const found = attendees(invite(name));
      expect(found.map((a) => a.address)).toEqual([
        'mailto:alice@example.net',
        'mailto:alice@example.net',
      ]);
      for (const a of found) expect(String(a.name)).toContain('mailto:eve@evil.test');
    },
  );

  it('encodes the characters RFC 6868 names, so a parser gives the name back', () => {
    const [first] = attendees(invite('Alice "the finder" ^ Smith'));
    expect(first?.name).toBe('Alice "the finder" ^ Smith');
  });
});
