import Table from 'cli-table3';
import stringWidth from 'string-width';
import { summaryTableOptions } from '../../bench/report/terminal-summary';

describe("the bench's terminal table", () => {
  it.each([80, 100])('fits %i columns, wrapping long cells', (width) => {
    const table = new Table(summaryTableOptions(width));
    table.push([
      'Genuine reports acknowledged during a flood of 10,000 messages from 50 senders',
      'p99 2.23 s (p50 0.41 s, max 3.10 s)',
      'under 5 s at the 99th percentile',
      'met, with room for a machine twice as slow',
    ]);
    const lines = table.toString().split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
    expect(lines.join(' ')).toContain('p99');
  });
});
