import { createColors } from 'picocolors';

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
 * cli-table3's options for a table with these column heads. Its own colouring paints header
 * rows red, which reads as an error, and decides by itself whether the output takes colour, so
 * it is switched off: heads are bold, by our own decision above, and nothing else is coloured.
 */
export function tableOptions(heads: string[], style: TerminalStyle = terminalStyle()) {
  const { bold } = createColors(style.colour);
  return {
    head: heads.map((h) => bold(h)),
    style: { head: [] as string[], border: [] as string[] },
  };
}
