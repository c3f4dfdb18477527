import { deadlineOf } from '../../functions/invocation-context';
import { holdUntil, whileHeld, type WorkHold } from '../../shared/time/invocation-hold';

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

describe('work done while held (whileHeld)', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');
  const options = { now, deadline: undefined, defaultMs: 60_000 };

  /** A hold that records what was done with it; `busy` makes taking it fail as when held. */
  function recordingHold(busy = false) {
    const calls: string[] = [];
    const hold: WorkHold<string> = {
      take: async (holder, at, until) => {
        calls.push(`take until ${until.toISOString()}`);
        if (busy) throw new Error('held by another run');
        expect(at).toBe(now);
        return `found by ${holder}`;
      },
      release: async () => {
        calls.push('release');
        throw new Error('the store is down'); // a failed release is left to run out
      },
    };
    return { hold, calls };
  }

  it('hands the work what taking found, and keeps the hold after success', async () => {
    const { hold, calls } = recordingHold();
    const result = await whileHeld(hold, options, async (taken) => `worked on ${taken}`);
    expect(result).toMatch(/^worked on found by [0-9a-f-]{36}$/);
    expect(calls).toEqual(['take until 2026-11-25T12:01:05.000Z']);
  });

  it('lets go after success when asked to', async () => {
    const { hold, calls } = recordingHold();
    await whileHeld(hold, { ...options, releaseAfterSuccess: true }, async () => 'done');
    expect(calls).toEqual(['take until 2026-11-25T12:01:05.000Z', 'release']);
  });

  it("lets go after a failure and passes the work's error on, not the release's", async () => {
    const { hold, calls } = recordingHold();
    const failing = whileHeld(hold, options, async () => {
      throw new Error('the work failed');
    });
    await expect(failing).rejects.toThrow('the work failed');
    expect(calls).toEqual(['take until 2026-11-25T12:01:05.000Z', 'release']);
  });

  it('neither works nor lets go when the hold cannot be taken', async () => {
    const { hold, calls } = recordingHold(true);
    let worked = false;
    const refused = whileHeld(hold, options, async () => {
      worked = true;
    });
    await expect(refused).rejects.toThrow('held by another run');
    expect(worked).toBe(false);
    expect(calls).toEqual(['take until 2026-11-25T12:01:05.000Z']);
  });
});
