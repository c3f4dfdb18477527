/** Section 8 of docs/benchmarks.md: disclosure day in a minute (#29). */
import { formatMs, median } from '../../support/bench-support';
import { mdTable, plainYes } from '../format';
import type { BenchResults } from '../results';
import type { DisclosureSample } from '../../measurements/disclosure-minute';

/** Issue #29's aim: every record out within a minute of the disclosure instant. */
export const DISCLOSURE_TARGET_MS = 60_000;

const STEPS: [keyof DisclosureSample, string][] = [
  ['notice', 'public notice sent to the announce list'],
  ['records', 'OSV, CVE, CSAF and OpenVEX stored and mailed to the 3 maintainers'],
  ['ghsa', 'GitHub advisory published'],
  ['osv', 'OSV record committed'],
  ['csaf', 'CSAF provider directory written (document, hashes, signature, lists, metadata)'],
  ['post', 'oss-security post sent'],
  ['total', 'the notice run returned (all recorded on the case)'],
];

const worst = (runs: DisclosureSample[], key: keyof DisclosureSample) =>
  Math.max(...runs.map((s) => s[key] ?? 0));

/** The steps a run measured (one saved before the CSAF directory existed has no `csaf`). */
const stepsOf = (runs: DisclosureSample[]) => STEPS.filter(([key]) => runs[0]?.[key] !== undefined);

export function disclosureHeadline(
  r: Pick<BenchResults, 'disclosure'>,
): [string, string, string, string][] {
  const d = r.disclosure;
  if (!d) return [];
  const total = worst(d.runs, 'total');
  return [
    [
      `Disclosure instant → last record published (notice, records, GitHub advisory, OSV commit, ${d.runs[0]?.csaf !== undefined ? 'CSAF directory, ' : ''}oss-security post; ${d.runs.length} runs)`,
      `median ${formatMs(median(d.runs.map((s) => s.total)))} · max ${formatMs(total)}`,
      `≤ ${formatMs(DISCLOSURE_TARGET_MS)}`,
      plainYes(total <= DISCLOSURE_TARGET_MS),
    ],
  ];
}

/** Between consecutive steps, in order: where the time of a run goes. */
function gaps(runs: DisclosureSample[]): [string, number][] {
  let previous: keyof DisclosureSample | undefined;
  return stepsOf(runs).map(([key, what]) => {
    const gap = median(runs.map((s) => (s[key] ?? 0) - (previous ? (s[previous] ?? 0) : 0)));
    previous = key;
    return [what, gap];
  });
}

export function disclosureSection(r: Pick<BenchResults, 'disclosure'>): string {
  const head = '## 9. Disclosure day in a minute (#29)';
  const d = r.disclosure;
  if (!d) return `${head}\n\nNot measured in this run (it was saved before this part existed).`;
  const split = gaps(d.runs);
  const [slowest] = [...split].sort((a, b) => b[1] - a[1]);
  return [
    head,
    '',
    'The notice service run for the `disclosure` trigger (as the scheduler invokes it at D), with the',
    'local stores (dynalite, s3rver), the Maildir outbox and the GitHub stand-in (the real Octokit',
    `client over HTTP), \`ossSecurityPost: "send"\`, \`osv\`${d.runs[0]?.csaf !== undefined ? ', `csaf`' : ''} and \`github\` configured; each run a fresh`,
    'case with a draft GitHub advisory, three maintainers, two distributors. Times from the trigger;',
    `median (and worst) of ${d.runs.length} runs:`,
    '',
    mdTable(
      ['Record out', 'After the trigger', 'Since the step before'],
      stepsOf(d.runs).map(([key, what], i) => [
        what,
        `${formatMs(median(d.runs.map((s) => s[key] ?? 0)))} (${formatMs(worst(d.runs, key))})`,
        formatMs(split[i]![1]),
      ]),
    ),
    '',
    `Per run: ${d.runs[0]!.mails} mails, ${d.runs[0]!.githubRequests} requests to GitHub. The longest`,
    `step is "${slowest![0]}" (${formatMs(slowest![1])}).`,
  ].join('\n');
}
