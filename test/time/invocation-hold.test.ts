import { deadlineOf } from '../../functions/invocation-context';
import { holdUntil } from '../../shared/time/invocation-hold';

describe('how long an invocation holds its work', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');

  it("holds until Lambda stops the invocation, with 5 s for other hosts' clocks", () => {
    const deadline = new Date('2026-11-25T12:00:42.000Z');
    expect(holdUntil(now, deadline, 60_000).toISOString()).toBe('2026-11-25T12:00:47.000Z');
  });

  it('holds for the default time when the invoker sets no deadline (the local runtime)', () => {
    expect(holdUntil(now, undefined, 60_000).toISOString()).toBe('2026-11-25T12:01:05.000Z');
  });

  it("takes the deadline from Lambda's context, and none without one", () => {
    const before = Date.now();
    const { deadline } = deadlineOf({
      getRemainingTimeInMillis: () => 30_000,
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:intake',
    });
    expect(deadline!.getTime()).toBeGreaterThanOrEqual(before + 30_000);
    expect(deadline!.getTime()).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(deadlineOf(undefined)).toEqual({});
  });
});
