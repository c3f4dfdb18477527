/**
 * The CSAF 2.0 document of a case's advisory (OASIS CSAF 2.0, profile `csaf_security_advisory`,
 * or `csaf_vex` when it carries status statements: the maintainers' versions that are not
 * affected, or distributors' statuses about their own packages). Pure.
 */

import { common, truncate, type AdvisoryExportInput, type Common } from '../advisory-input';
import { creditTypes } from '../advisory-credits';
import { intervalVersions, isCommitId, unique } from '../version-ranges';
import { statementVersions, versOf } from './vers-range';
import type {
  DistributorVexStatement,
  NotAffectedStatement,
  VexJustification,
} from '../vex-statements';

export const CSAF_VERSION = '2.0';

/**
 * TLP 1.0 labels, the only ones CSAF 2.0 knows (`document.distribution.tlp.label`). An advance
 * notice goes to distributors who must share it inside their own organisation to prepare
 * packages, which is what AMBER allows and RED does not; WHITE/GREEN would allow wider sharing
 * than an embargo does.
 */
export type TlpLabel = 'RED' | 'AMBER' | 'GREEN' | 'WHITE';

/** One entry of the document's revision history: a change after publication is a new one. */
export interface CsafRevision {
  /** ISO 8601 UTC. */
  date: string;
  summary: string;
}

export interface CsafOptions {
  /** A draft (before D, for review): `tracking.status: "draft"`, never to be published. */
  draft?: boolean;
  /** The TLP label of an embargoed copy (the advance notice's); the public copy has none. */
  tlp?: TlpLabel;
  /** Revisions after the initial release, oldest first (a case changed after D). */
  revisions?: CsafRevision[];
  /** Statements for versions that are not affected. */
  notAffected?: NotAffectedStatement[];
  /**
   * Distributors' signed statuses about their own packages, each named: the caller passes only
   * those it may show (the public copy: consenting distributors; never the advance copy).
   */
  distributors?: DistributorVexStatement[];
  /**
   * The maintainers' own copy, which may name the private list: TLP:RED, with a text saying so.
   * Not with `tlp` (that is the copy distributors receive).
   */
  maintainersOnly?: boolean;
  /** The publisher's namespace (a URL the project controls); default: the repository URL. */
  publisherUrl?: string;
  /** CWE names by id ("CWE-208" → "Observable Timing Discrepancy"): CSAF requires the name. */
  cweNames?: Record<string, string>;
  /** Embargo's version, for `tracking.generator`. */
  generatorVersion?: string;
}

const TLP_URL = 'https://www.first.org/tlp/';

interface Product {
  id: string;
  /** `product_version` (one version) or `product_version_range` (vers or free text). */
  category: 'product_version' | 'product_version_range';
  name: string;
}

/** What the document says about each product, by CSAF product status. */
export interface CsafProducts {
  products: Product[];
  knownAffected: string[];
  fixed: string[];
  knownNotAffected: { id: string; justification: VexJustification }[];
}

/**
 * The products of a case: each affected range and version, each fixed version, each statement
 * of versions that are not affected. Commit-only ranges have no `vers` scheme and are named by
 * their bounds in words; unparsed text is kept as it was typed (CSAF allows a free-text
 * version range).
 */
export function csafProducts(c: Common, notAffected: NotAffectedStatement[] = []): CsafProducts {
  const products: Product[] = [];
  const add = (category: Product['category'], name: string): string => {
    const existing = products.find((p) => p.category === category && p.name === name);
    if (existing) return existing.id;
    const id = `CSAFPID-${String(products.length + 1).padStart(4, '0')}`;
    products.push({ id, category, name: truncate(name, 1000) });
    return id;
  };
  const knownAffected: string[] = [];
  const fixed: string[] = [];
  const { plan } = c;
  for (const interval of plan.intervals) {
    const commits = intervalVersions(interval).some(isCommitId);
    const name = commits
      ? `commits from ${interval.introduced === '0' ? 'the first' : interval.introduced}` +
        (interval.fixed
          ? ` up to ${interval.fixed} (excluded)`
          : interval.lastAffected
            ? ` up to ${interval.lastAffected}`
            : ' on')
      : versOf(interval, c.ecosystem);
    knownAffected.push(add('product_version_range', name));
  }
  for (const version of plan.versions) knownAffected.push(add('product_version', version));
  if (!plan.affectedParsed && plan.affectedText) {
    knownAffected.push(add('product_version_range', plan.affectedText));
  }
  for (const version of unique([
    ...plan.intervals.map((i) => i.fixed).filter((v): v is string => v !== undefined),
    ...plan.unaffected,
  ])) {
    fixed.push(add('product_version', version));
  }
  if (!plan.fixedParsed && plan.fixedText) fixed.push(add('product_version_range', plan.fixedText));
  const knownNotAffected = notAffected.flatMap((s) => {
    const read = statementVersions(s.versions, c.ecosystem);
    const ids = read
      ? [
          ...read.ranges.map((vers) => add('product_version_range', vers)),
          ...read.versions.map((v) => add('product_version', v)),
        ]
      : [add('product_version_range', s.versions.trim())];
    return ids.map((id) => ({ id, justification: s.justification }));
  });
  return {
    products,
    knownAffected: unique(knownAffected),
    fixed: unique(fixed),
    knownNotAffected,
  };
}

/** A distributor's package, as a product of its own: named for the distributor. */
interface DistributorProduct extends DistributorVexStatement {
  id: string;
  name: string;
}

/**
 * One product per statement, with ids of their own (`CSAFPID-D001`...) so that they never meet
 * the project's, in the order given.
 */
function distributorProducts(
  c: Common,
  statements: readonly DistributorVexStatement[],
): DistributorProduct[] {
  return statements.map((s, i) => ({
    ...s,
    id: `CSAFPID-D${String(i + 1).padStart(3, '0')}`,
    name: truncate(`${s.distributor} package of ${c.project}`, 1000),
  }));
}

/** What the distributor said, in its own words where it gave any. */
function distributorSays(p: DistributorProduct): string {
  const words = { affected: 'is affected', 'not-affected': 'is not affected', fixed: 'is fixed' };
  return truncate(
    `${p.distributor} states that its package ${words[p.status]}${p.detail ? `: ${p.detail}` : '.'}`,
    1000,
  );
}

function distributorBranches(c: Common, products: DistributorProduct[]): Record<string, unknown>[] {
  return products.map((p) => ({
    category: 'vendor',
    name: truncate(p.distributor, 1000),
    branches: [
      {
        category: 'product_name',
        name: c.project,
        product: { product_id: p.id, name: p.name },
      },
    ],
  }));
}

function productTree(
  c: Common,
  vendor: string,
  products: Product[],
  distributors: DistributorProduct[],
): Record<string, unknown> {
  const others = distributorBranches(c, distributors);
  const branches = products.map((p) => ({
    category: p.category,
    name: p.name,
    product: { product_id: p.id, name: truncate(`${c.project} ${p.name}`, 1000) },
  }));
  if (branches.length === 0) {
    // No version known yet: the product as a whole, so that the status can still name it.
    return {
      branches: [
        {
          category: 'vendor',
          name: vendor,
          branches: [
            {
              category: 'product_name',
              name: c.project,
              product: { product_id: 'CSAFPID-0001', name: c.project },
            },
          ],
        },
        ...others,
      ],
    };
  }
  return {
    branches: [
      {
        category: 'vendor',
        name: vendor,
        branches: [{ category: 'product_name', name: c.project, branches }],
      },
      ...others,
    ],
  };
}

function scores(c: Common, productIds: string[]): Record<string, unknown>[] {
  // CSAF 2.0 has room for CVSS v2 and v3 only; a 4.0 vector goes to a note.
  if (!c.cvss || c.cvss.version === '4.0' || productIds.length === 0) return [];
  return [
    {
      products: productIds,
      cvss_v3: {
        version: c.cvss.version,
        vectorString: c.cvss.vector,
        baseScore: c.cvss.score,
        baseSeverity: c.cvss.rating.toUpperCase(),
      },
    },
  ];
}

function acknowledgments(c: Common): Record<string, unknown>[] {
  return creditTypes
    .map((type) => ({
      type,
      names: unique(c.credits.filter((credit) => credit.type === type).map((x) => x.name)),
      urls: unique(
        c.credits
          .filter((credit) => credit.type === type && credit.github)
          .map((credit) => `https://github.com/${credit.github}`),
      ),
    }))
    .filter((group) => group.names.length > 0)
    .map((group) => ({
      names: group.names,
      summary: group.type.replace(/_/g, ' '),
      ...(group.urls.length > 0 ? { urls: group.urls } : {}),
    }));
}

function referenceSummary(url: string): string {
  if (/\/commit\/|\/commits\/[0-9a-f]{7,}/i.test(url)) return 'The fix';
  if (/\/security\/advisories\/|\/advisories\/GHSA-/i.test(url)) return 'GitHub security advisory';
  return url;
}

/**
 * The advisory as a CSAF 2.0 document.
 *
 * - `document.category` is `csaf_vex` when the document carries status statements (versions
 *   recorded as not affected, or distributors' statuses), else `csaf_security_advisory`.
 * - `tracking.id` is the case id; `status` is `draft` for a review copy, `interim` for the
 *   embargoed copy sent with the advance notice, `final` for the public one;
 *   the revision history starts at the disclosure instant and has one more entry per change
 *   after it (`options.revisions`), `tracking.version` being their count.
 * - `distribution.tlp` only on an embargoed copy (`options.tlp`) and on the maintainers' own copy
 *   (`options.maintainersOnly`: RED); the public copy has none.
 * - The product tree: vendor → project → one branch per affected range (`vers:` when the
 *   versions have a scheme), single version, fixed version and not-affected statement.
 * - `product_status`: `known_affected`, `fixed`, `known_not_affected` (each with its
 *   justification as a flag); remediations: the fixed versions (`vendor_fix`, with the fix's
 *   commit URL when a reference is one), or `none_available` when nothing is fixed yet.
 * - Each distributor's status (`options.distributors`): a product under a vendor branch named
 *   for the distributor, in `known_affected` (with a `none_available` remediation quoting it:
 *   CSAF 6.1.27.10 wants an action for every affected product), `fixed` (a `vendor_fix`
 *   quoting it) or `known_not_affected` (with an `impact` threat quoting it: 6.1.27.9).
 * - CVSS 3.x as `scores`; a CWE with its name as `cwe` (CSAF 2.0 takes one), every id in a note.
 * - Acknowledgments grouped by credit type, the type as `summary`.
 */
export function toCsafDocument(
  input: AdvisoryExportInput,
  options: CsafOptions = {},
): Record<string, unknown> {
  // The advance copy goes to every distributor: one must never see another's name there.
  if (options.tlp && (options.maintainersOnly || (options.distributors ?? []).length > 0))
    throw new Error('the advance copy (tlp) never carries distributors or the private list');
  const c = common(input);
  const vendor = input.vendor?.trim() || c.project;
  const { products, knownAffected, fixed, knownNotAffected } = csafProducts(c, options.notAffected);
  const others = distributorProducts(c, options.distributors ?? []);
  const othersIn = (status: DistributorVexStatement['status']) =>
    others.filter((p) => p.status === status);
  const vex = knownNotAffected.length > 0 || others.length > 0;
  const revisions = [
    {
      date: c.published,
      summary: options.draft
        ? 'Draft for review.'
        : options.tlp
          ? 'Advance copy under embargo until the disclosure date.'
          : 'Initial public release.',
    },
    ...(options.revisions ?? []),
  ].map((r, i) => ({ number: String(i + 1), date: r.date, summary: r.summary }));
  const current = revisions[revisions.length - 1]!;
  const namespace = options.publisherUrl?.trim() || c.repositoryUrl || `urn:embargo:${c.project}`;
  const description = c.advisory ?? c.title;

  const references = c.references.map((url) => ({
    category: 'external',
    summary: referenceSummary(url),
    url,
  }));
  const document: Record<string, unknown> = {
    category: vex ? 'csaf_vex' : 'csaf_security_advisory',
    csaf_version: CSAF_VERSION,
    lang: 'en',
    title: c.title,
    publisher: { category: 'vendor', name: vendor, namespace },
    notes: [
      { category: 'summary', title: 'Summary', text: c.title },
      ...(c.advisory ? [{ category: 'description', title: 'Details', text: c.advisory }] : []),
    ],
    tracking: {
      id: c.caseId,
      // An embargoed copy is sent, so not a draft, and may still change before D: interim.
      status: options.draft ? 'draft' : options.tlp ? 'interim' : 'final',
      version: current.number,
      initial_release_date: c.published,
      current_release_date: current.date,
      revision_history: revisions,
      generator: {
        engine: {
          name: 'Embargo',
          ...(options.generatorVersion ? { version: options.generatorVersion } : {}),
        },
      },
    },
  };
  if (options.tlp) {
    document.distribution = {
      text: 'Embargoed: do not publish before the disclosure date.',
      tlp: { label: options.tlp, url: TLP_URL },
    };
  }
  if (options.maintainersOnly) {
    document.distribution = {
      text:
        "For the project's maintainers only: this copy may name distributors on the private " +
        'advance-notification list and their statuses. Do not share or publish it.',
      tlp: { label: 'RED', url: TLP_URL },
    };
  }
  // csaf_security_advisory needs an external reference (6.1.27.2); the repository is one.
  if (references.length === 0 && c.repositoryUrl) {
    references.push({ category: 'external', summary: 'Repository', url: c.repositoryUrl });
  }
  if (references.length > 0) document.references = references;

  const allIds = products.length > 0 ? products.map((p) => p.id) : ['CSAFPID-0001'];
  const affectedIds = products.length > 0 ? knownAffected : allIds;
  const ids = (list: DistributorProduct[]) => list.map((p) => p.id);
  const status: Record<string, string[]> = {};
  const allAffected = [...affectedIds, ...ids(othersIn('affected'))];
  const allFixed = [...fixed, ...ids(othersIn('fixed'))];
  const notAffectedIds = [
    ...unique(knownNotAffected.map((s) => s.id)),
    ...ids(othersIn('not-affected')),
  ];
  if (allAffected.length > 0) status.known_affected = allAffected;
  if (allFixed.length > 0) status.fixed = allFixed;
  if (notAffectedIds.length > 0) status.known_not_affected = notAffectedIds;

  const fixUrl = c.references.find((url) => /\/commit\/|\/pull\/\d+/i.test(url));
  const remediations: Record<string, unknown>[] = [];
  if (affectedIds.length > 0) {
    const fixedVersions = products.filter((p) => fixed.includes(p.id)).map((p) => p.name);
    remediations.push(
      fixedVersions.length > 0
        ? {
            category: 'vendor_fix',
            details: `Update to ${fixedVersions.join(' or ')}${fixUrl ? ', or apply the fix' : ''}.`,
            product_ids: affectedIds,
            ...(fixUrl ? { url: fixUrl } : {}),
          }
        : {
            category: 'none_available',
            details: 'No fixed version has been released yet.',
            product_ids: affectedIds,
          },
    );
  }
  for (const p of othersIn('affected'))
    remediations.push({
      category: 'none_available',
      details: distributorSays(p),
      product_ids: [p.id],
    });
  for (const p of othersIn('fixed'))
    remediations.push({ category: 'vendor_fix', details: distributorSays(p), product_ids: [p.id] });
  const notes: Record<string, unknown>[] = [
    { category: 'description', title: 'Description', text: description },
  ];
  if (c.cwes.length > 0) {
    notes.push({ category: 'other', title: 'CWE', text: c.cwes.join(', ') });
  }
  if (c.cvss?.version === '4.0') {
    notes.push({
      category: 'other',
      title: 'CVSS 4.0',
      text: `${c.cvss.vector} (base score ${c.cvss.score.toFixed(1)}, ${c.cvss.rating})`,
    });
  }
  const vulnerability: Record<string, unknown> = {
    ...(c.cve ? { cve: c.cve } : {}),
    // Without a CVE id the case id names the vulnerability (csaf_vex needs one of the two).
    ...(c.cve ? {} : { ids: [{ system_name: `${c.project} case`, text: c.caseId }] }),
    title: truncate(c.title, 1000),
    notes,
    product_status: status,
  };
  const cwe = c.cwes.find((id) => options.cweNames?.[id]);
  if (cwe) vulnerability.cwe = { id: cwe, name: options.cweNames![cwe] };
  if (remediations.length > 0) vulnerability.remediations = remediations;
  if (knownNotAffected.length > 0) {
    vulnerability.flags = knownNotAffected.map((s) => ({
      label: s.justification,
      product_ids: [s.id],
    }));
  }
  // A distributor gives no justification label, only its words: an impact statement.
  const threats = othersIn('not-affected').map((p) => ({
    category: 'impact',
    details: distributorSays(p),
    product_ids: [p.id],
  }));
  if (threats.length > 0) vulnerability.threats = threats;
  const scored = scores(c, affectedIds);
  if (scored.length > 0) vulnerability.scores = scored;
  const acks = acknowledgments(c);
  if (acks.length > 0) vulnerability.acknowledgments = acks;
  if (references.length > 0) vulnerability.references = references;
  vulnerability.release_date = c.published;

  return {
    document,
    product_tree: productTree(c, vendor, products, others),
    vulnerabilities: [vulnerability],
  };
}
