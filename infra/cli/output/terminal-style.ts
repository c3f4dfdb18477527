/**
 * What the terminal we write to can take, by the usual conventions: colour only on a terminal
 * and never when NO_COLOR is set (https://no-color.org) or TERM is "dumb"; the width from
 * COLUMNS, else the terminal's, else 80 (a pipe or a file).
 */
export interface TerminalStyle {
  colour: boolean;
  width: number;
}

interface Output {
  isTTY?: boolean;
  columns?: number;
}

export function terminalStyle(
  env: NodeJS.ProcessEnv = process.env,
  out: Output = process.stdout,
): TerminalStyle {
  const colour = out.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
  const fromEnv = Number.parseInt(env.COLUMNS ?? '', 10);
  const width =
    Number.isInteger(fromEnv) && fromEnv > 0
      ? fromEnv
      : out.isTTY && out.columns && out.columns > 0
        ? out.columns
        : 80;
  return { colour, width };
}

/**
 * cli-table3's style option: its default paints header rows red, which reads as an error;
 * headers are bold instead, borders dim, and nothing at all without colour.
 */
export function tableStyle(style: TerminalStyle = terminalStyle()) {
  return {
    style: style.colour
      ? { head: ['bold'], border: ['grey'] }
      : { head: [] as string[], border: [] as string[] },
  };
}
