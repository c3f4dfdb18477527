import type { Logger } from './logger';

type Level = 'info' | 'warn' | 'error';

/** One JSON object per line: what CloudWatch Logs Insights and `jq` read. */
export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger {
  const emit = (level: Level, event: string, fields: Record<string, unknown> = {}) =>
    // `timestamp` and `level` are the names Lambda's JSON log format reads from a line. They and
    // `event` come last, so a field of that name (from a spread outcome, say) cannot relabel a
    // line that alarms count; JSON.stringify escapes line breaks, so a value cannot start a line.
    write(
      JSON.stringify({
        ...fields,
        timestamp: new Date().toISOString(),
        level: level.toUpperCase(),
        event,
      }),
    );
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}
