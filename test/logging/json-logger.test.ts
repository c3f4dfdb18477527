import { jsonLogger } from '../../shared/logging/json-logger';

function logged(use: (log: ReturnType<typeof jsonLogger>) => void): string[] {
  const lines: string[] = [];
  use(jsonLogger((line) => lines.push(line)));
  return lines;
}

describe('jsonLogger', () => {
  it('writes one JSON object per entry: timestamp, upper-case level, event and the fields', () => {
    const before = Date.now();
    const lines = logged((log) => {
      log.info('intake.outcome', { messageId: 'm-1', kind: 'case' });
      log.warn('outbound.budget-low', { sentToday: 190 });
      log.error('watch.ack-failed', { caseId: 'SEC-2026-0001', error: 'throttled' });
    });
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([
      {
        timestamp: expect.any(String),
        level: 'INFO',
        event: 'intake.outcome',
        messageId: 'm-1',
        kind: 'case',
      },
      {
        timestamp: expect.any(String),
        level: 'WARN',
        event: 'outbound.budget-low',
        sentToday: 190,
      },
      {
        timestamp: expect.any(String),
        level: 'ERROR',
        event: 'watch.ack-failed',
        caseId: 'SEC-2026-0001',
        error: 'throttled',
      },
    ]);
    for (const { timestamp } of entries) {
      expect(new Date(timestamp as string).toISOString()).toBe(timestamp);
      expect(Date.parse(timestamp as string)).toBeGreaterThanOrEqual(before);
    }
  });

  it('writes an entry without fields', () => {
    const [line] = logged((log) => log.info('watch.started'));
    expect(JSON.parse(line!)).toEqual({
      timestamp: expect.any(String),
      level: 'INFO',
      event: 'watch.started',
    });
  });

  it('never lets a field relabel the line: event, level and timestamp are its own', () => {
    // Callers spread outcomes into the fields (intake.outcome, notice.outcome): a field of the
    // same name must not turn an error into an info line, or one event into another that an
    // alarm counts ($.event in infra/aws/monitoring/embargo-alarms.ts).
    const [line] = logged((log) =>
      log.error('function.input-refused', {
        event: 'intake.outcome',
        level: 'info',
        timestamp: '1970-01-01T00:00:00.000Z',
      }),
    );
    const entry = JSON.parse(line!) as Record<string, unknown>;
    expect(entry.event).toBe('function.input-refused');
    expect(entry.level).toBe('ERROR');
    expect(entry.timestamp).not.toBe('1970-01-01T00:00:00.000Z');
  });

  it('never writes a second line: line breaks in a value (a sender-chosen reason) stay inside it', () => {
    const forged = 'x"}\n{"level":"ERROR","event":"function.input-refused"}\r\n';
    const lines = logged((log) => log.warn('intake.rejected', { reason: forged }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\r\n]/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'intake.rejected', reason: forged });
  });

  it('writes to stdout, one line each, by default', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      jsonLogger().info('smtp.accepted', { messageId: 'm-2' });
    } finally {
      spy.mockRestore();
    }
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\{.*\}\n$/);
    expect(JSON.parse(written[0]!)).toMatchObject({ event: 'smtp.accepted', messageId: 'm-2' });
  });
});
