import Table from 'cli-table3';
import stringWidth from 'string-width';
import { tableOptions, terminalStyle, type TerminalStyle } from './terminal-style';

export interface Column {
  head: string;
  /** Lower numbers are kept longer when the terminal is too narrow for every column. */
  priority: number;
  /** Shrinkable columns are cut with "…" down to this width; others keep their width. */
  minWidth?: number;
}

/** The table with a note naming the columns left out, short enough for 80 columns. */
export function withHiddenNote({ text, hidden }: { text: string; hidden: string[] }): string {
  return hidden.length
    ? `${text}\n(Left out to fit: ${hidden.join(', ')}; --wide shows all.)`
    : text;
}

/** Per column: one space of padding either side, and the border to its left. */
const CELL_OVERHEAD = 3;

function tableWidth(widths: number[]): number {
  return widths.reduce((sum, w) => sum + w + CELL_OVERHEAD, 1);
}

/**
 * A table that fits `width` columns: too wide, it first leaves out the columns of lowest
 * priority, then cuts the shrinkable ones (least important first, each down to its minWidth,
 * with "…").
 * `wide` shows every column in full. Returns the table and the heads of columns left out.
 */
export function fittedTable(
  columns: Column[],
  rows: string[][],
  options: { wide?: boolean; style?: TerminalStyle } = {},
): { text: string; hidden: string[] } {
  const style = options.style ?? terminalStyle();
  // A cell of several lines (a fingerprint in two halves) is as wide as its widest line.
  const cellWidth = (text: string) => Math.max(...text.split('\n').map((l) => stringWidth(l)));
  const natural = columns.map((c, i) =>
    Math.max(stringWidth(c.head), ...rows.map((r) => cellWidth(r[i] ?? ''))),
  );
  let shown = columns.map((_, i) => i);
  const widths = [...natural];
  const minimum = (i: number) => Math.min(natural[i]!, columns[i]!.minWidth ?? natural[i]!);
  if (!options.wide) {
    const fits = () => tableWidth(shown.map((i) => widths[i]!)) <= style.width;
    // Leave out columns (lowest priority first) until the rest fit at their minimum widths.
    const atMinimum = () => tableWidth(shown.map(minimum)) <= style.width;
    while (shown.length > 1 && !atMinimum()) {
      const drop = shown.reduce((a, b) => (columns[b]!.priority > columns[a]!.priority ? b : a));
      shown = shown.filter((i) => i !== drop);
    }
    // Then cut the shrinkable columns, the least important first (down to its minimum before
    // the next is touched), so that what matters most (an outcome with its case id) stays whole.
    while (!fits()) {
      const cuttable = shown.filter((i) => widths[i]! > minimum(i));
      if (!cuttable.length) break;
      const least = cuttable.reduce((a, b) =>
        columns[b]!.priority > columns[a]!.priority ? b : a,
      );
      widths[least]!--;
    }
  }
  const table = new Table({
    ...tableOptions(
      shown.map((i) => columns[i]!.head),
      style,
    ),
    // cli-table3's widths include the padding; it cuts longer cells with "…".
    colWidths: shown.map((i) => widths[i]! + 2),
  });
  for (const row of rows) table.push(shown.map((i) => row[i] ?? ''));
  return {
    text: table.toString(),
    hidden: columns.filter((_, i) => !shown.includes(i)).map((c) => c.head),
  };
}
