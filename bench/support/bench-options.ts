import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

/** The parts of `npm run bench`; a run of all of them writes docs/benchmarks.md. */
export const BENCH_PARTS = [
  'burst',
  'bundles',
  'large',
  'flood',
  'schleuder',
  'aws',
  'stats',
  'disclosure',
  'dupes',
] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/** 20 flood senders, and more than 5 (the address limit) from each. */
export const FLOOD_SENDERS = 20;
export const MIN_FLOOD = FLOOD_SENDERS * 6;
export const MIN_REPORTS = 10;

export interface BenchOptions {
  reports: number;
  flood: number;
  only: BenchPart[];
  /** The labelled pairs for duplicate detection (`--dupes`); the part says so when absent. */
  dupes?: string;
  fromJson?: string;
  saveJson?: string;
  /** Where the document goes; undefined: not written (`--no-doc`, or only some parts run). */
  doc?: string;
}

/** A bad command line: what was wrong and what to do, printed without a stack trace. */
export class BenchUsageError extends Error {}

function wholeNumber(name: string, min: number, why: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n))
      throw new InvalidArgumentError(`${name} takes a whole number, not "${text}".`);
    if (n < min)
      throw new InvalidArgumentError(
        `${name} ${n} is too small: it must be at least ${min} (${why}). Run it with ${name} ${min} or more, or leave it out for the default.`,
      );
    return n;
  };
}

function parts(text: string): BenchPart[] {
  const names = text.split(',').map((p) => p.trim());
  const unknown = names.filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
  if (unknown.length || !names.length)
    throw new InvalidArgumentError(
      `--only takes parts separated by commas, from: ${BENCH_PARTS.join(', ')} (not "${unknown.join(', ') || text}").`,
    );
  return names as BenchPart[];
}

function pairsFile(text: string): string {
  const file = resolve(text);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new InvalidArgumentError(
      `There is no file ${text}. Give --dupes the labelled pairs (pairs.jsonl, as in ../shared/dupes/).`,
    );
  return file;
}

function readableFile(text: string): string {
  const file = resolve(text);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new InvalidArgumentError(
      `There is no file ${text}. Give the file a run saved with --save-json (the bench prints its name at the end of each run).`,
    );
  return file;
}

/** Checked before the run, so that a measurement of minutes is not lost at the end. */
function writableTarget(name: string) {
  return (text: string): string => {
    const file = resolve(text);
    try {
      accessSync(existsSync(file) ? file : dirname(file), constants.W_OK);
    } catch {
      throw new InvalidArgumentError(
        `Cannot write ${text} (its folder does not exist or is not writable). Give ${name} a file in a folder you can write to.`,
      );
    }
    return file;
  };
}

function program(defaultDoc: string): Command {
  return new Command('npm run bench --')
    .description(
      "Embargo's performance on this machine against its targets. Prints a table and, when every part ran, writes docs/benchmarks.md. Not part of npm test.",
    )
    .addOption(
      new Option('--reports <n>', 'reports in the burst')
        .argParser(wholeNumber('--reports', MIN_REPORTS, 'percentiles need that many'))
        .default(1000),
    )
    .addOption(
      new Option(
        '--flood <n>',
        `flood messages, from ${FLOOD_SENDERS} senders, with 20 genuine reports among them`,
      )
        .argParser(
          wholeNumber(
            '--flood',
            MIN_FLOOD,
            `${FLOOD_SENDERS} senders each need more than the 5 reports a day the limit admits`,
          ),
        )
        .default(2000),
    )
    .addOption(
      new Option(
        '--only <parts>',
        `run only these parts (comma-separated: ${BENCH_PARTS.join(', ')}); the document is not written`,
      ).argParser(parts),
    )
    .addOption(
      new Option(
        '--dupes <file>',
        'labelled report pairs (JSON lines) for the duplicate detection part; not in the repository',
      ).argParser(pairsFile),
    )
    .addOption(
      new Option(
        '--from-json <file>',
        'only render the table and the document from a saved run (see --save-json)',
      ).argParser(readableFile),
    )
    .addOption(
      new Option(
        '--save-json <file>',
        'also keep the raw measurements here (default: a file in the temp folder)',
      ).argParser(writableTarget('--save-json')),
    )
    .addOption(
      new Option('--doc <file>', 'write the document here')
        .argParser(writableTarget('--doc'))
        .default(defaultDoc, 'docs/benchmarks.md'),
    )
    .option('--no-doc', 'do not write the document')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
}

/**
 * Reads the bench's command line. `--help` prints the usage and returns undefined; anything
 * wrong throws BenchUsageError with the problem and what to do.
 */
export function parseBenchOptions(argv: string[], defaultDoc: string): BenchOptions | undefined {
  const cli = program(defaultDoc);
  try {
    cli.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed the usage.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return undefined;
      throw new BenchUsageError(
        `${err.message.replace(/^error: /, '')}\nRun \`npm run bench -- --help\` for the options.`,
      );
    }
    throw err;
  }
  const o = cli.opts<{
    reports: number;
    flood: number;
    only?: BenchPart[];
    dupes?: string;
    fromJson?: string;
    saveJson?: string;
    doc: string | false;
  }>();
  const only = o.only ?? [...BENCH_PARTS];
  const all = BENCH_PARTS.every((p) => only.includes(p));
  if (o.fromJson && o.only)
    throw new BenchUsageError(
      '--from-json renders a saved run and --only runs a new one: give one of them.',
    );
  return {
    reports: o.reports,
    flood: o.flood,
    only,
    ...(o.dupes ? { dupes: o.dupes } : {}),
    ...(o.fromJson ? { fromJson: o.fromJson } : {}),
    ...(o.saveJson ? { saveJson: o.saveJson } : {}),
    ...(o.doc !== false && (all || o.fromJson) ? { doc: o.doc } : {}),
  };
}
