/**
 * The OpenVEX document (spec 0.2.0, https://github.com/openvex/spec) of a case: what the
 * project says about its own package's versions, for scanners that read VEX (Trivy, Grype).
 * Pure.
 */

import { common, type AdvisoryExportInput } from '../advisory-input';
import type { NotAffectedStatement } from '../vex-statements';
import { osvId } from './osv-record';
import { packageUrl } from './package-url';
import { intervalVersions, isCommitId, unique } from '../version-ranges';
import { statementVersions, versOf } from './vers-range';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

export interface OpenVexOptions {
  /** Statements for versions that are not affected (`/vex not-affected`). */
  notAffected?: NotAffectedStatement[];
  /** The document version: 1 at D, one more per change after it. */
  version?: number;
  /** Who states it; default: the vendor, else the project. */
  author?: string;
  /** Embargo's version, for `tooling`. */
  generatorVersion?: string;
}

type Statement = Record<string, unknown>;

/**
 * The case as an OpenVEX 0.2.0 document, one statement per status:
 *
 * - `affected`: each affected range, as the package's purl with a `vers` qualifier (a purl names
 *   one version; the qualifier is how the purl and VERS specs write a range), and each single
 *   affected version as `purl@version`; the action statement names the fixed versions, or says
 *   none is released yet.
 * - `fixed`: each fixed version, `purl@version`.
 * - `not_affected`: each `/vex not-affected` statement, with its justification; the range is
 *   read like `/affected` text into VERS ranges and versions (kept as typed when it cannot be).
 * - `under_investigation`: the package (no version) when the case has no affected versions yet,
 *   or only text that could not be read without guessing (kept in `status_notes`).
 *
 * Ranges of commits name the repository's commits in `status_notes`: a purl has no place for
 * them. The vulnerability is the CVE id when there is one (the OSV id as alias), else the OSV id.
 */
export function toOpenVex(
  input: AdvisoryExportInput,
  options: OpenVexOptions = {},
): Record<string, unknown> {
  const c = common(input);
  const purl = (version?: string, vers?: string): string =>
    packageUrl(c, version, vers ? { vers } : undefined) ??
    `pkg:generic/${encodeURIComponent(c.project)}`;
  const product = (id: string) => ({ '@id': id, identifiers: { purl: id } });
  const id = osvId(c.project, c.caseId, input.osvIdPrefix);
  const vulnerability = c.cve
    ? { name: c.cve, aliases: [id], ...(c.title ? { description: c.title } : {}) }
    : { name: id, ...(c.title ? { description: c.title } : {}) };
  const { plan } = c;
  const fixedVersions = unique([
    ...plan.intervals.map((i) => i.fixed).filter((v): v is string => v !== undefined),
    ...plan.unaffected,
  ]);
  const action =
    fixedVersions.length > 0
      ? `Update to ${fixedVersions.join(' or ')}.`
      : 'No fixed version has been released yet; follow the advisory for mitigations.';

  const statements: Statement[] = [];
  const withStatus = (status: string, products: string[], extra: Statement = {}): void => {
    if (products.length === 0) return;
    statements.push({ vulnerability, products: products.map(product), status, ...extra });
  };
  const ranges = plan.intervals.filter((i) => !intervalVersions(i).some(isCommitId));
  const commitRanges = plan.intervals.filter((i) => intervalVersions(i).some(isCommitId));
  withStatus(
    'affected',
    unique([
      ...ranges.map((i) => purl(undefined, versOf(i, c.ecosystem))),
      ...plan.versions.map((v) => purl(v)),
    ]),
    { action_statement: action },
  );
  if (commitRanges.length > 0) {
    withStatus('affected', [purl()], {
      action_statement: action,
      status_notes: `Affected commits of ${c.repositoryUrl ?? c.project}: ${commitRanges
        .map((i) => `from ${i.introduced}${i.fixed ? ` until ${i.fixed} (fixed)` : ''}`)
        .join('; ')}.`,
    });
  }
  withStatus(
    'fixed',
    fixedVersions.filter((v) => !isCommitId(v)).map((v) => purl(v)),
  );
  for (const statement of options.notAffected ?? []) {
    const read = statementVersions(statement.versions, c.ecosystem);
    const products = read
      ? [...read.ranges.map((vers) => purl(undefined, vers)), ...read.versions.map((v) => purl(v))]
      : [purl(undefined, statement.versions.trim())];
    withStatus('not_affected', products, { justification: statement.justification });
  }
  const nothingKnown = plan.intervals.length === 0 && plan.versions.length === 0;
  if (nothingKnown) {
    withStatus('under_investigation', [purl()], {
      ...(plan.affectedText ? { status_notes: `Affected versions: ${plan.affectedText}` } : {}),
    });
  }

  return {
    '@context': OPENVEX_CONTEXT,
    '@id': `urn:embargo:${encodeURIComponent(c.project)}:vex:${encodeURIComponent(c.caseId)}`,
    author: options.author?.trim() || input.vendor?.trim() || c.project,
    role: 'Project maintainers',
    timestamp: c.published,
    last_updated: c.modified,
    version: options.version ?? 1,
    tooling: `Embargo${options.generatorVersion ? ` ${options.generatorVersion}` : ''}`,
    statements,
  };
}
