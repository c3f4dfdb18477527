/**
 * Duplicate detection against a labelled evaluation set (issue #28): precision and recall of the
 * product's flag, beside a plain TF-IDF cosine whose threshold is fitted to the same pairs, and
 * the time to compare one report with 1,000 cases. The set is not in the repository (its texts
 * come from public databases): `--dupes <pairs.jsonl>` names it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  DUPLICATE_THRESHOLD,
  ReportCorpus,
  compareFingerprints,
  findDuplicates,
} from '../../shared/triage/duplicate-detector';
import { reportFingerprint, type ReportFingerprint } from '../../shared/triage/report-fingerprint';
import { now } from '../support/bench-support';

/** What a detector may read of a pair (the set's README): never `source` or `pair_id`. */
const side = z.object({ package: z.string(), ecosystem: z.string(), text: z.string() });
const pair = z.object({
  label: z.enum(['duplicate', 'different']),
  kind: z.enum(['positive', 'hard-negative', 'easy-negative']),
  a: side,
  b: side,
});
type Pair = z.infer<typeof pair>;

export interface PrecisionRecall {
  precision: number;
  recall: number;
  /** Pairs flagged, and of them duplicates. */
  flagged: number;
  truePositives: number;
}

export type DuplicatesResult =
  | { skipped: true; reason: string }
  | {
      skipped?: false;
      file: string;
      pairs: Record<Pair['kind'], number>;
      threshold: number;
      product: { all: PrecisionRecall; hard: PrecisionRecall };
      baseline: { threshold: number; all: PrecisionRecall; hard: PrecisionRecall };
      /** One report against CASES stored fingerprints: ms per report, each run. */
      compareMs: number[];
      cases: number;
    };

const CASES = 1000;
const TIMED_REPORTS = 50;
const WARM_UP = 5;

export function readPairs(file: string): Pair[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, index) => {
      const parsed = pair.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new Error(
          `${file} line ${index + 1} is not a labelled pair: ${parsed.error.message}`,
        );
      return parsed.data;
    });
}

function precisionRecall(rows: { duplicate: boolean; score: number }[], threshold: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    const flagged = r.score >= threshold;
    if (flagged && r.duplicate) tp += 1;
    else if (flagged) fp += 1;
    else if (r.duplicate) fn += 1;
  }
  return {
    precision: tp + fp ? tp / (tp + fp) : 1,
    recall: tp + fn ? tp / (tp + fn) : 1,
    flagged: tp + fp,
    truePositives: tp,
  };
}

/** The baseline: word unigrams, lower case, no stemming or stop words, IDF over every text. */
function plainTfIdf(texts: string[]) {
  const words = (t: string) => t.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const df = new Map<string, number>();
  for (const t of texts) for (const w of new Set(words(t))) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string) => Math.log((1 + texts.length) / (1 + (df.get(w) ?? 0))) + 1;
  const vector = (t: string) => {
    const tf = new Map<string, number>();
    for (const w of words(t)) tf.set(w, (tf.get(w) ?? 0) + 1);
    return new Map([...tf].map(([w, n]) => [w, n * idf(w)]));
  };
  return (a: string, b: string) => {
    const va = vector(a);
    const vb = vector(b);
    let dot = 0;
    for (const [w, x] of va) dot += x * (vb.get(w) ?? 0);
    const norm = (v: Map<string, number>) =>
      Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0));
    return dot / (norm(va) * norm(vb) || 1);
  };
}

/** The threshold with the best F1 on the hard pairs: the baseline's most favourable reading. */
function fittedThreshold(rows: { duplicate: boolean; score: number }[]): number {
  let best = { f1: -1, threshold: 0 };
  for (const { score: threshold } of rows) {
    const { precision, recall } = precisionRecall(rows, threshold);
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { f1, threshold };
  }
  return best.threshold;
}

/** What the product reads of a report: its text, with the project's name as a word to ignore. */
const fingerprintOf = (s: Pair['a']) => reportFingerprint(s.text, [s.package]);

export function runDuplicateDetection(file: string | undefined): DuplicatesResult {
  if (!file)
    return {
      skipped: true,
      reason:
        'no evaluation set was given: run `npm run bench -- --only dupes --dupes <path to pairs.jsonl>` (../shared/dupes/pairs.jsonl beside the repository)',
    };
  const pairs = readPairs(file);
  const counts = { positive: 0, 'hard-negative': 0, 'easy-negative': 0 };
  for (const p of pairs) counts[p.kind] += 1;

  const fingerprints = pairs.map((p) => ({ a: fingerprintOf(p.a), b: fingerprintOf(p.b) }));
  const corpus = new ReportCorpus(fingerprints.flatMap((f) => [f.a, f.b]));
  const product = pairs.map((p, i) => ({
    kind: p.kind,
    duplicate: p.label === 'duplicate',
    score: compareFingerprints(corpus, fingerprints[i]!.a, fingerprints[i]!.b).score,
  }));
  const cosine = plainTfIdf(pairs.flatMap((p) => [p.a.text, p.b.text]));
  const baseline = pairs.map((p) => ({
    kind: p.kind,
    duplicate: p.label === 'duplicate',
    score: cosine(p.a.text, p.b.text),
  }));
  const hard = <T extends { kind: Pair['kind'] }>(rows: T[]) =>
    rows.filter((r) => r.kind !== 'easy-negative');
  const baselineThreshold = fittedThreshold(hard(baseline));

  // 1,000 stored cases from the set's texts (each once, then again), one report at a time.
  const texts = pairs.flatMap((p) => [p.a, p.b]);
  const cases = Array.from({ length: CASES }, (_, i) => ({
    key: i,
    fingerprint: fingerprintOf(texts[i % texts.length]!),
  }));
  const storedCases = JSON.stringify(cases);
  const compareMs: number[] = [];
  // The first runs compile the code paths: a warm Lambda container has done that already.
  for (let i = -WARM_UP; i < TIMED_REPORTS; i++) {
    const text = texts[((i + WARM_UP) * 7) % texts.length]!;
    // Fresh objects, as each invocation reads the cases from the table anew (nothing cached).
    const stored = JSON.parse(storedCases) as typeof cases;
    const started = now();
    findDuplicates(fingerprintOf(text) as ReportFingerprint, stored);
    if (i >= 0) compareMs.push(now() - started);
  }
  return {
    file,
    pairs: counts,
    threshold: DUPLICATE_THRESHOLD,
    product: {
      all: precisionRecall(product, DUPLICATE_THRESHOLD),
      hard: precisionRecall(hard(product), DUPLICATE_THRESHOLD),
    },
    baseline: {
      threshold: baselineThreshold,
      all: precisionRecall(baseline, baselineThreshold),
      hard: precisionRecall(hard(baseline), baselineThreshold),
    },
    compareMs,
    cases: CASES,
  };
}
