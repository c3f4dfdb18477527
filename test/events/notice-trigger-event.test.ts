import { parseNoticeTrigger } from '../../shared/events/notice-trigger-event';
import { InvalidEventError } from '../../shared/errors';

describe('parseNoticeTrigger', () => {
  const trigger = {
    caseId: 'SEC-2026-0001',
    kind: 'advance',
    disclosureAt: '2026-05-01T00:00:00Z',
  };

  it('reads the payload a notice schedule delivers', () => {
    expect(parseNoticeTrigger(trigger)).toEqual(trigger);
  });

  it.each([
    [{ ...trigger, caseId: 'sec-2026-0001' }, /caseId: not a case id/],
    [{ ...trigger, kind: 'teaser' }, /kind: /],
    [{ ...trigger, disclosureAt: 'next week' }, /disclosureAt: /],
    [{ ...trigger, extra: 1 }, /extra/],
  ])('refuses %j with an InvalidEventError naming the field', (event, problem) => {
    let failure: unknown;
    try {
      parseNoticeTrigger(event);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(InvalidEventError);
    expect((failure as Error).message).toMatch(problem);
  });
});
