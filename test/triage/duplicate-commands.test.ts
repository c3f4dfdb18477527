import { parseCommands } from '../../shared/commands/case-commands';
import { commandEffects, mailEffects } from '../../shared/commands/command-effects';
import type { CaseId } from '../../shared/cases/case-id';
import type { CaseRecord } from '../../shared/cases/case-record';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import {
  comparableCases,
  possibleDuplicates,
  possibleDuplicatesText,
  reportIndexOf,
} from '../../shared/triage/possible-duplicates';
import { duplicateNotice } from '../../shared/triage/duplicate-notice';
import { caseRecord } from '../support/case-builder';
import { chunkedOverflow, chunkedOverflowAgain, cookieXss } from './report-texts';

const NOW = new Date('2026-11-25T09:00:00Z');
const DAY = 86_400_000;
const id = (n: number) => `SEC-2026-000${n}` as CaseId;

function effects(text: string, record: CaseRecord) {
  const parsed = parseCommands(text, NOW);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return { parsed, effects: commandEffects(record, parsed.commands, parsed.body, []) };
}

describe('/duplicate and /not-duplicate', () => {
  it('reads a case id, and says what is wrong otherwise', () => {
    expect(parseCommands('/duplicate sec-2026-0001', NOW)).toMatchObject({
      ok: true,
      commands: [{ command: { name: 'duplicate', of: 'SEC-2026-0001' } }],
    });
    expect(parseCommands('/not-duplicate', NOW)).toMatchObject({
      ok: true,
      commands: [{ command: { name: 'not-duplicate' } }],
    });
    expect(parseCommands('/duplicate', NOW)).toMatchObject({
      ok: false,
      errors: [{ reason: '/duplicate needs the id of the earlier case, e.g. SEC-2026-0001' }],
    });
    expect(parseCommands('/not-duplicate yesterday', NOW)).toMatchObject({ ok: false });
  });

  it('/duplicate closes the case as a duplicate and says a note goes to the reporter', () => {
    const record = caseRecord(id(2));
    const { parsed, effects: e } = effects(`/duplicate ${id(1)}`, record);
    expect(e.fields).toEqual({
      status: 'closed',
      resolution: 'duplicate',
      duplicateOf: id(1),
      resolvedAt: expect.any(String),
    });
    const after = { ...record, ...e.fields } as CaseRecord;
    const mail = mailEffects(record, after, parsed.commands, e, {
      config: {} as EmbargoConfig,
      now: NOW,
      distributors: [],
      maintainers: 2,
    });
    expect(mail.map((m) => m.text)).toContain(
      'to the reporter: the issue is already known and being handled (nothing about the other case or its reporter)',
    );
  });

  it('/not-duplicate records every flagged case, and reopens a case closed as their duplicate', () => {
    const flagged = caseRecord(id(3), {
      possibleDuplicates: [
        { caseId: id(1), score: 0.5, reasons: [] },
        { caseId: id(2), score: 0.3, reasons: [] },
      ],
      status: 'closed',
      resolution: 'duplicate',
      duplicateOf: id(2),
    });
    expect(effects('/not-duplicate', flagged).effects.fields).toEqual({
      notDuplicateOf: [id(1), id(2)],
      status: 'triaged',
      resolution: undefined,
      duplicateOf: undefined,
    });
    expect(effects(`/not-duplicate ${id(1)}`, flagged).effects.fields).toEqual({
      notDuplicateOf: [id(1)],
    });
  });

  it('tells the reporter the issue is known, naming neither the other case nor its reporter', () => {
    const notice = duplicateNotice(
      caseRecord(id(2), { duplicateOf: id(1) }),
      'webby',
      'duplicate/x',
    );
    expect(notice.subject).toBe(`[${id(2)}] Your report to the webby security team: already known`);
    expect(notice.text).toContain('already known to them');
    expect(`${notice.subject}\n${notice.text}`).not.toContain(id(1));
  });
});

describe('which cases a new report is compared with', () => {
  const index = (text: string) => reportIndexOf('Report', text, 'libwebby');
  const earlier = caseRecord(id(1), { reportIndex: index(chunkedOverflow) });
  const report = caseRecord(id(3), { reportIndex: index(chunkedOverflowAgain) });

  it('flags an open case with reasons, and writes the copy line', () => {
    const found = possibleDuplicates(report, [report, earlier], NOW);
    expect(found.map((d) => d.caseId)).toEqual([id(1)]);
    expect(possibleDuplicatesText(found)).toMatch(
      new RegExp(`^Possibly the same as ${id(1)} \\(why: both name src/http/chunked\\.c`),
    );
  });

  it('leaves out a pair ruled out with /not-duplicate, either way round', () => {
    expect(possibleDuplicates({ ...report, notDuplicateOf: [id(1)] }, [earlier], NOW)).toEqual([]);
    expect(possibleDuplicates(report, [{ ...earlier, notDuplicateOf: [id(3)] }], NOW)).toEqual([]);
  });

  it('compares open cases and those disclosed in the last year; not other closed ones', () => {
    const closed = { ...earlier, status: 'closed' as const, resolution: 'fixed' as const };
    const disclosed = (daysAgo: number) => ({
      ...closed,
      disclosedAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
    });
    expect(comparableCases(report, [closed], NOW)).toEqual([]);
    expect(comparableCases(report, [disclosed(300)], NOW)).toHaveLength(1);
    expect(comparableCases(report, [disclosed(400)], NOW)).toEqual([]);
    const duplicate = { ...earlier, status: 'closed' as const, resolution: 'duplicate' as const };
    expect(comparableCases(report, [duplicate], NOW)).toEqual([]);
    const other = caseRecord(id(2), { reportIndex: index(cookieXss) });
    expect(possibleDuplicates(report, [other], NOW)).toEqual([]);
  });
});
