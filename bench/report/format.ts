/** Formatting shared by the terminal summary and the sections of docs/benchmarks.md. */
import { formatMs, MB } from '../support/bench-support';
import type { Distribution } from './analysis';

export const yes = (met: boolean) => (met ? 'met' : '**missed**');
export const plainYes = (met: boolean) => (met ? 'met' : 'MISSED');
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
/** Bundle sizes: two decimals, since near the target 1.0 MiB could be either side of it. */
export const bundleMiB = (bytes: number) => `${(bytes / MB).toFixed(2)} MiB`;
export const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)} %`;
export const n1 = (x: number) => x.toFixed(1);

export function mdTable(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export const dist = (d: Distribution) =>
  `p50 ${formatMs(d.p50)}, p95 ${formatMs(d.p95)}, p99 ${formatMs(d.p99)}, max ${formatMs(d.max)}`;
