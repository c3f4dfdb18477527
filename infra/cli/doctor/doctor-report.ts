import pc from 'picocolors';
import { terminalSafe } from '../output/terminal-text';
import type { CheckResult } from './check-result';

export interface ReportStyle {
  /** Colour the status words (a terminal that wants colour: picocolors honours NO_COLOR). */
  color: boolean;
  /** Wrap at this width (the terminal's, at most 80; 80 for pipes). */
  width: number;
}

/**
 * The style for stdout: colour on a terminal (not TERM=dumb) unless NO_COLOR is set
 * (https://no-color.org), or wherever FORCE_COLOR asks; the terminal's width up to 80 columns,
 * and 80 for pipes and files.
 */
export function stdoutStyle(
  stream: Pick<NodeJS.WriteStream, 'isTTY' | 'columns'> = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): ReportStyle {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const tty = stream.isTTY === true;
  return {
    color: !noColor && (Boolean(env.FORCE_COLOR) || (tty && env.TERM !== 'dumb')),
    width: Math.min(80, tty && stream.columns ? stream.columns : 80),
  };
}

const LABEL: Record<CheckResult['status'], string> = {
  pass: 'ok',
  warn: 'warn',
  fail: 'FAIL',
  skip: 'skip',
};
const PAINT: Record<CheckResult['status'], 'green' | 'yellow' | 'red' | 'dim'> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  skip: 'dim',
};

/** Words into lines of at most `width` characters (a longer word, such as an ARN, stays whole). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const INDENT = 7;

/** The report: one block per check (status, title, what was found, what to do), then a tally. */
export function renderReport(heading: string, results: CheckResult[], style: ReportStyle): string {
  const colors = pc.createColors(style.color);
  const body = Math.max(20, style.width - INDENT);
  const pad = ' '.repeat(INDENT);
  const out = [...wrap(terminalSafe(heading), style.width), ''];
  for (const r of results) {
    const label = LABEL[r.status].padEnd(INDENT - 1);
    out.push(`${colors[PAINT[r.status]](label)} ${r.title}`);
    for (const l of wrap(terminalSafe(r.summary), body)) out.push(pad + l);
    if (r.action) {
      const [first, ...rest] = wrap(`To do: ${terminalSafe(r.action)}`, body);
      out.push(pad + first, ...rest.map((l) => pad + l));
    }
  }
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  out.push(
    '',
    `${count('fail')} failed, ${count('warn')} to look at, ${count('pass')} ok, ${count('skip')} not checked.`,
  );
  return out.join('\n');
}
