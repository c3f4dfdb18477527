import type { BugIdentifier, IdentifierKind } from './bug-identifiers';
import type { ReportFingerprint } from './report-fingerprint';

/** A stored report the new one may repeat. */
export interface ComparedReport<K> {
  key: K;
  fingerprint: ReportFingerprint;
}

export interface DuplicateCandidate<K> {
  key: K;
  /** 0 to 1; flagged from DUPLICATE_THRESHOLD. */
  score: number;
  /** What a person can check, e.g. "both name src/http/chunked.c and parse_chunk_size". */
  reasons: string[];
}

/** The product's threshold: chosen on the evaluation set (docs/triage.md, docs/benchmarks.md). */
export const DUPLICATE_THRESHOLD = 0.25;

/**
 * How much one shared identifier of a kind weighs against the words, before its rarity among the
 * compared reports (IDF) counts. A version or a project URL is shared by many reports of one
 * project; a function name or a crash frame rarely is.
 */
const kindWeight: Record<IdentifierKind, number> = {
  cve: 3,
  ghsa: 3,
  cwe: 0.5,
  path: 2,
  symbol: 2,
  frame: 2.5,
  sanitizer: 1,
  url: 1.5,
  version: 1,
};

/** Factors applied to the word score (see compareFingerprints). */
const VERSION_SHARED = 1.3;
const VERSIONS_DIFFER = 0.7;
const CVES_DIFFER = 0.5;
const CLASSES_DIFFER = 0.6;

const identifierTerm = (i: BugIdentifier) => `\u0000${i.kind}:${i.value}`;

/**
 * A fingerprint as the detector reads it: every term (word stems, then identifiers) with its
 * weight before IDF. Made once per fingerprint: a report is compared with every stored case.
 */
interface PreparedTerms {
  terms: string[];
  weights: number[];
  identifierTerms: string[];
}
const prepared = new WeakMap<ReportFingerprint, PreparedTerms>();
function prepare(f: ReportFingerprint): PreparedTerms {
  let p = prepared.get(f);
  if (!p) {
    const terms = Object.keys(f.terms);
    const weights = terms.map((t) => 1 + Math.log(f.terms[t]!));
    const identifierTerms: string[] = [];
    for (const i of f.identifiers) {
      const term = identifierTerm(i);
      if (identifierTerms.includes(term)) continue;
      identifierTerms.push(term);
      terms.push(term);
      weights.push(kindWeight[i.kind]);
    }
    p = { terms, weights, identifierTerms };
    prepared.set(f, p);
  }
  return p;
}
const identifierTerms = (f: ReportFingerprint) => prepare(f).identifierTerms;

/** Document frequencies over a set of fingerprints, for IDF weights. */
export class ReportCorpus {
  private readonly df = new Map<string, number>();
  private size = 0;

  constructor(fingerprints: Iterable<ReportFingerprint> = []) {
    for (const f of fingerprints) this.add(f);
  }

  add(fingerprint: ReportFingerprint): void {
    this.idfs.clear();
    this.size += 1;
    for (const term of prepare(fingerprint).terms) this.count(term);
  }

  private count(term: string): void {
    this.df.set(term, (this.df.get(term) ?? 0) + 1);
  }

  private readonly idfs = new Map<string, number>();

  /** Smoothed IDF: a term in every report still weighs a little. Kept once computed. */
  idf(term: string): number {
    let idf = this.idfs.get(term);
    if (idf === undefined) {
      idf = Math.log((1 + this.size) / (1 + (this.df.get(term) ?? 0))) + 1;
      this.idfs.set(term, idf);
    }
    return idf;
  }

  /** TF-IDF weights of the words and identifiers (sublinear TF), with the vector's length. */
  vector(fingerprint: ReportFingerprint): WeightedTerms {
    const weights = new Map<string, number>();
    const p = prepare(fingerprint);
    for (let i = 0; i < p.terms.length; i++)
      weights.set(p.terms[i]!, p.weights[i]! * this.idf(p.terms[i]!));
    let squares = 0;
    for (const w of weights.values()) squares += w * w;
    return { weights, norm: Math.sqrt(squares) };
  }
}

/**
 * The cosine of a report's vector and another fingerprint's, without building the other's
 * vector: the same sums as cosineSimilarity(report, corpus.vector(fingerprint)), made for every
 * stored case of a project, so it allocates nothing.
 */
export function similarityTo(
  corpus: ReportCorpus,
  report: WeightedTerms,
  fingerprint: ReportFingerprint,
): number {
  let dot = 0;
  let squares = 0;
  const p = prepare(fingerprint);
  for (let i = 0; i < p.terms.length; i++) {
    const term = p.terms[i]!;
    const w = p.weights[i]! * corpus.idf(term);
    squares += w * w;
    const r = report.weights.get(term);
    if (r !== undefined) dot += w * r;
  }
  return report.norm && squares ? dot / (report.norm * Math.sqrt(squares)) : 0;
}

export interface WeightedTerms {
  weights: Map<string, number>;
  norm: number;
}

/** Cosine similarity of two weighted term vectors (0 when either is empty). */
export function cosineSimilarity(a: WeightedTerms, b: WeightedTerms): number {
  if (!a.norm || !b.norm) return 0;
  const [small, large] = a.weights.size <= b.weights.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, w] of small.weights) {
    const other = large.weights.get(term);
    if (other !== undefined) dot += w * other;
  }
  return dot / (a.norm * b.norm);
}

const idsOf = (f: ReportFingerprint, kinds: IdentifierKind[]) =>
  new Set(f.identifiers.filter((i) => kinds.includes(i.kind)).map((i) => i.value));

function listed(values: string[], most = 4): string {
  const shown = values.slice(0, most);
  const text =
    shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
  return values.length > most ? `${text} (and ${values.length - most} more)` : text;
}

/**
 * How alike two reports are, and why. The words (TF-IDF cosine, identifiers as extra terms) give
 * the score; one shared CVE or GHSA id makes it a duplicate, while different ids on both sides,
 * or different weakness classes, lower it: reports about one project share its vocabulary.
 */
export function compareFingerprints(
  corpus: ReportCorpus,
  report: ReportFingerprint,
  earlier: ReportFingerprint,
  reportVector = corpus.vector(report),
  earlierVector = corpus.vector(earlier),
): { score: number; reasons: string[] } {
  const similarity = cosineSimilarity(reportVector, earlierVector);
  let score = similarity;
  const reasons: string[] = [];

  const ids = ['cve', 'ghsa'] as IdentifierKind[];
  const ours = idsOf(report, ids);
  const theirs = idsOf(earlier, ids);
  const sharedIds = [...ours].filter((id) => theirs.has(id));
  if (sharedIds.length) {
    score = Math.max(score, 0.9);
    reasons.push(`both cite ${listed(sharedIds)}`);
  } else {
    // Databases give one bug different GHSA ids; two different CVE ids are two bugs.
    const ourCves = idsOf(report, ['cve']);
    const theirCves = idsOf(earlier, ['cve']);
    if (ourCves.size && theirCves.size) {
      score *= CVES_DIFFER;
      reasons.push(
        `they cite different CVE ids (${listed([...ourCves], 2)}; ${listed([...theirCves], 2)})`,
      );
    }
  }

  // Paths and names first: they are the quickest to check in the two reports.
  const nameKinds: IdentifierKind[] = ['path', 'symbol', 'frame', 'sanitizer', 'url'];
  const sharedNames = report.identifiers
    .filter((i) => nameKinds.includes(i.kind))
    .filter((i) => earlier.identifiers.some((j) => j.kind === i.kind && j.value === i.value))
    .sort((a, b) => nameKinds.indexOf(a.kind) - nameKinds.indexOf(b.kind))
    .map((i) => i.value);
  const names = [...new Set(sharedNames)];
  if (names.length) reasons.push(`both name ${listed(names)}`);

  // Reports of one bug name the same affected or fixed versions; two bugs of one project
  // usually name different ones (measured on the evaluation set, docs/triage.md).
  const ourVersions = idsOf(report, ['version']);
  const theirVersions = idsOf(earlier, ['version']);
  const sharedVersions = [...ourVersions].filter((v) => theirVersions.has(v));
  if (sharedVersions.length) {
    score = Math.min(1, score * VERSION_SHARED);
    reasons.push(`both mention version ${listed(sharedVersions)}`);
  } else if (ourVersions.size && theirVersions.size && !sharedIds.length) {
    score *= VERSIONS_DIFFER;
    reasons.push(`they name different versions`);
  }

  const sharedClasses = report.classes.filter((c) => earlier.classes.includes(c));
  if (sharedClasses.length) reasons.push(`both describe ${listed(sharedClasses)}`);
  else if (report.classes.length && earlier.classes.length && !sharedIds.length) {
    score *= CLASSES_DIFFER;
    reasons.push(
      `they describe different weaknesses (${listed(report.classes, 2)}; ${listed(earlier.classes, 2)})`,
    );
  }

  reasons.push(`${Math.round(similarity * 100)}% of the weighted wording in common`);
  return { score: Math.min(1, Math.max(0, score)), reasons };
}

/**
 * The earlier reports a new one may repeat, most likely first: those scoring at least
 * `threshold`. IDF comes from the compared reports and the new one.
 */
export function findDuplicates<K>(
  report: ReportFingerprint,
  earlier: readonly ComparedReport<K>[],
  threshold = DUPLICATE_THRESHOLD,
): DuplicateCandidate<K>[] {
  const corpus = new ReportCorpus([report, ...earlier.map((e) => e.fingerprint)]);
  const reportVector = corpus.vector(report);
  const reportIds = new Set(
    report.identifiers.filter((i) => i.kind === 'cve' || i.kind === 'ghsa').map(identifierTerm),
  );
  const candidates: DuplicateCandidate<K>[] = [];
  for (const e of earlier) {
    // Only a shared id or shared versions raise the word score: skip the reasons of the rest.
    const sharesId = identifierTerms(e.fingerprint).some((t) => reportIds.has(t));
    if (!sharesId && similarityTo(corpus, reportVector, e.fingerprint) * VERSION_SHARED < threshold)
      continue;
    const compared = compareFingerprints(corpus, report, e.fingerprint, reportVector);
    if (compared.score >= threshold) candidates.push({ key: e.key, ...compared });
  }
  return candidates.sort((a, b) => b.score - a.score);
}
