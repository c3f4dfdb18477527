import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import type { CaseId } from '../../shared/cases/case-id';
import { formatForZone, isTimeZone } from '../../shared/time/zoned-text';
import { invitationText } from '../../shared/notices/notice-texts';
import type { EmbargoServices } from '../../shared/wiring/embargo-services';
import { caseRecord } from '../support/case-builder';
import { GnuPg, openPgpMime } from '../support/gnupg';
import { resolvedMaintainer } from '../support/local-project';
import { pgpFixture, startStores, testConfig, type Stores } from '../support/local-stores';
import { readMaildir } from '../support/maildir';

const config = { ...testConfig, maintainers: [resolvedMaintainer('mia')] };

/** The events of a mail's iCalendar part, as a real parser (ical.js) reads them. */
function calendarEvents(mail: ParsedMail) {
  const part = mail.attachments.find((a) => a.contentType === 'text/calendar');
  if (!part) return [];
  const calendar = new ICAL.Component(ICAL.parse(part.content.toString()));
  return calendar.getAllSubcomponents('vevent').map((e) => {
    const event = new ICAL.Event(e);
    return {
      start: event.startDate.toJSDate().toISOString(),
      attendees: event.attendees.map((a) => String(a.getFirstValue()).toLowerCase()),
      summary: event.summary,
    };
  });
}

describe('times distributors can act on: UTC, and their own zone', () => {
  it('gives the minute in UTC and, for a known zone, the same instant there (its date may differ)', () => {
    expect(formatForZone('2026-12-10T13:00:00.000Z')).toBe('2026-12-10 13:00 UTC');
    expect(formatForZone('2026-12-10T13:00:00.000Z', 'Europe/Berlin')).toBe(
      '2026-12-10 13:00 UTC (2026-12-10 14:00 Europe/Berlin, UTC+01:00)',
    );
    // Summer time, and a zone a day ahead.
    expect(formatForZone('2026-07-10T13:00:00.000Z', 'Europe/Berlin')).toContain(
      '15:00 Europe/Berlin, UTC+02:00',
    );
    expect(formatForZone('2026-12-10T23:30:00.000Z', 'Asia/Tokyo')).toBe(
      '2026-12-10 23:30 UTC (2026-12-11 08:30 Asia/Tokyo, UTC+09:00)',
    );
  });

  it('gives the invitation (consent first) its dates in the distributor’s zone too', () => {
    const { text } = invitationText({
      record: caseRecord('SEC-2026-0001', { disclosureAt: '2030-03-06T09:00:00.000Z' }),
      config: testConfig,
      distributor: {
        email: 'security@debian.example',
        name: 'Debian',
        publicKeyArmored: '',
        fingerprint: '',
        addedAt: '2026-11-25T00:00:00Z',
        timeZone: 'Asia/Tokyo',
      },
      openUntil: '2030-02-28T20:00:00.000Z',
    });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('2030-03-06 09:00 UTC (2030-03-06 18:00 Asia/Tokyo, UTC+09:00)');
    expect(flat).toContain(
      'Answer by 2030-02-28 20:00 UTC (2030-03-01 05:00 Asia/Tokyo, UTC+09:00)',
    );
  });

  it('accepts IANA names only', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('Europe/Berlin; rm -rf')).toBe(false);
  });
});

describe('the advance notice in the distributor’s zone, with a calendar invite', () => {
  let stores: Stores;
  let services: EmbargoServices;

  beforeEach(async () => {
    stores = await startStores();
    services = stores.services({ config });
  });
  afterEach(() => stores.stop());

  it('stores the zone with the distributor and gives the date in it, with an invite for D', async () => {
    const disclosureAt = '2030-03-06T09:00:00.000Z';
    const id = 'SEC-2026-0001' as CaseId;
    await services.cases.createIfAbsent(
      caseRecord(id, { advisory: 'The parser overflows.', disclosureAt }),
    );
    const armored = pgpFixture('debian-public.asc').toString();
    const key = await services.crypto.inspectKey(armored);
    if (!key.usable) throw new Error(key.problem);
    await services.distributors.put({
      email: 'security@debian.example',
      name: 'Debian',
      publicKeyArmored: armored,
      fingerprint: key.fingerprint,
      addedAt: '2026-11-25T00:00:00Z',
      timeZone: 'America/New_York',
    });
    expect((await services.distributors.list())[0]?.timeZone).toBe('America/New_York');

    expect((await services.notices.fire({ caseId: id, kind: 'advance', disclosureAt })).kind).toBe(
      'sent',
    );
    const mail = (await readMaildir(stores.outboxDir)).find(
      (m) => m.deliveredTo === 'security@debian.example',
    )!;
    // The hour is in the encrypted body only, never in a clear header.
    expect(mail.raw).not.toContain('America/New_York');
    const opened = await openPgpMime(new GnuPg(['debian-secret.asc', 'project-public.asc']), mail);
    if ('error' in opened) throw new Error(opened.error);
    const local = '2030-03-06 09:00 UTC (2030-03-06 04:00 America/New_York, UTC-05:00)';
    expect(opened.inner.text?.replace(/\s+/g, ' ')).toContain(`under embargo until ${local}`);
    expect(calendarEvents(opened.inner)).toEqual([
      {
        start: disclosureAt,
        attendees: ['mailto:security@debian.example'],
        summary: `${id}: public disclosure`,
      },
    ]);
  });
});
