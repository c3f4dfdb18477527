import type { Logger } from '../../shared/logging/logger';

function render(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** Local mode's log for a person at a terminal: one short line per event, same fields as in AWS. */
export function consoleLogger(write: (line: string) => void = (l) => console.log(l)): Logger {
  const emit = (level: string, event: string, fields: Record<string, unknown> = {}) =>
    write(
      `${new Date().toISOString().slice(11, 19)} ${level.padEnd(5)} ${event} ${render(fields)}`,
    );
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}
