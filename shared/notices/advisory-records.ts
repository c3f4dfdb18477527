/**
 * Every machine-readable record of a case, built from the case and the configuration: OSV,
 * CVE JSON 5 (with a CVE id), CSAF 2.0 and OpenVEX. Pure: the caller gives the instant.
 */

import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRecord } from '../cases/case-record';
import { truncate, type AdvisoryExportInput } from '../advisories/advisory-input';
import { caseCredits } from '../advisories/advisory-credits';
import { toCveRecord } from '../advisories/records/cve-record';
import {
  toCsafDocument,
  type CsafRevision,
  type TlpLabel,
} from '../advisories/records/csaf-record';
import { toOpenVex } from '../advisories/records/openvex-record';
import { toOsvRecord } from '../advisories/records/osv-record';
import type { DistributorStatement } from '../distributors/distributor-statements';

export const recordFormats = ['osv', 'cve', 'csaf', 'openvex'] as const;
export type RecordFormat = (typeof recordFormats)[number];

export interface AdvisoryRecordFile {
  format: RecordFormat;
  filename: string;
  content: Buffer;
}

/** What the records are built from; before D the disclosure instant may not be set yet. */
export function exportInput(
  record: CaseRecord,
  config: EmbargoConfig,
  now: Date,
): AdvisoryExportInput {
  return {
    project: config.project,
    caseId: record.id,
    disclosureAt: record.disclosedAt ?? record.disclosureAt ?? now.toISOString(),
    modifiedAt: now.toISOString(),
    references: config.repositoryUrl ? [config.repositoryUrl] : [],
    ...(record.cve ? { cve: record.cve } : {}),
    ...(record.title ? { title: record.title } : {}),
    ...(record.advisory ? { advisory: record.advisory } : {}),
    ...(record.severity ? { severity: record.severity } : {}),
    ...(record.affected ? { affected: record.affected } : {}),
    ...(record.fixed ? { fixed: record.fixed } : {}),
    ...(record.cvss ? { cvss: record.cvss } : {}),
    ...(record.cwes ? { cwes: record.cwes } : {}),
    credits: caseCredits(record),
    releaseLines: config.supportedReleases,
    ...(config.ecosystem ? { ecosystem: config.ecosystem } : {}),
    ...(config.packageName ? { packageName: config.packageName } : {}),
    ...(config.osvIdPrefix ? { osvIdPrefix: config.osvIdPrefix } : {}),
    ...(config.repositoryUrl ? { repositoryUrl: config.repositoryUrl } : {}),
  };
}

/** The change labels (`label: old → new`, command-effects.ts) of what the records say. */
const RECORD_FIELDS = new Set([
  'title',
  'severity',
  'affected',
  'fixed',
  'cve',
  'CVSS',
  'CWE',
  'credit',
  'advisory',
  'not affected',
]);

/**
 * Changes to what the records say, recorded after the disclosure: each is a revision of the
 * published documents. Other changes (closing the case, held exploits) are not.
 */
export function revisionsAfterDisclosure(record: CaseRecord): CsafRevision[] {
  const disclosed = record.disclosedAt;
  if (!disclosed) return [];
  return record.history
    .filter((e) => e.at > disclosed)
    .map((e) => ({
      at: e.at,
      fields: (e.changes ?? []).map((c) => c.split(':')[0]!).filter((f) => RECORD_FIELDS.has(f)),
    }))
    .filter((e) => e.fields.length > 0)
    .map((e) => ({
      date: new Date(e.at).toISOString().replace('.000Z', 'Z'),
      summary: truncate(`Changed: ${e.fields.join(', ')}.`, 200),
    }));
}

/**
 * A distributor's status recorded after the disclosure changes a CSAF copy that names it: a
 * revision of that copy (only of the copies that carry it, so the public one changes only for
 * a distributor named in it).
 */
function distributorRevisions(
  record: CaseRecord,
  statements: readonly DistributorStatement[],
): CsafRevision[] {
  const disclosed = record.disclosedAt;
  if (!disclosed) return [];
  return statements
    .filter((s) => s.at > disclosed)
    .map((s) => ({
      date: new Date(s.at).toISOString().replace('.000Z', 'Z'),
      summary: truncate(`Changed: ${s.distributor}'s status.`, 200),
    }));
}

export interface RecordOptions {
  /**
   * The embargoed copy (the advance notice's): CSAF carries this TLP label, and never a
   * distributor's status (it goes to every distributor).
   */
  tlp?: TlpLabel;
  /** Default: a draft until the case is disclosed; the disclosure itself says false. */
  draft?: boolean;
  /**
   * Distributors' signed statuses for the CSAF VEX. For a public copy, only those of
   * distributors that consented (`publicDistributorStatements`); every one only with
   * `maintainersOnly`.
   */
  distributors?: DistributorStatement[];
  /** The maintainers' own copy (`export --include-distributors`): CSAF carries TLP:RED. */
  maintainersOnly?: boolean;
}

/** The TLP label a CSAF copy carries: the advance copy's, RED for the maintainers' own. */
function csafLabel(options: RecordOptions): TlpLabel | undefined {
  return options.maintainersOnly ? 'RED' : options.tlp;
}

/** The file name of a record, as attached to mail and written by `embargo export`. */
export function recordFilename(
  record: CaseRecord,
  format: RecordFormat,
  draft: boolean,
  tlp?: TlpLabel,
): string {
  const base = format === 'cve' ? (record.cve ?? record.id) : record.id;
  const suffix = { osv: 'osv', cve: 'cve', csaf: 'csaf', openvex: 'openvex' }[format];
  const label = tlp ? `.tlp-${tlp.toLowerCase()}` : '';
  return `${base}${draft ? '.draft' : ''}${label}.${suffix}.json`;
}

/**
 * One record of the case, or `undefined` (a CVE record needs a CVE id). Before the disclosure
 * (`disclosedAt` unset) the record is a draft: CSAF says `tracking.status: "draft"`, the file
 * name says `.draft`, and nothing publishes it.
 */
export function advisoryRecord(
  record: CaseRecord,
  config: EmbargoConfig,
  format: RecordFormat,
  now: Date,
  options: RecordOptions = {},
): AdvisoryRecordFile | undefined {
  const input = exportInput(record, config, now);
  const draft = options.draft ?? !record.disclosedAt;
  const revisions = revisionsAfterDisclosure(record);
  const notAffected = record.notAffected ?? [];
  let json: Record<string, unknown> | undefined;
  switch (format) {
    case 'osv':
      json = toOsvRecord(input);
      break;
    case 'cve':
      json = toCveRecord(input);
      break;
    case 'csaf':
      json = toCsafDocument(input, {
        draft,
        revisions: [...revisions, ...distributorRevisions(record, options.distributors ?? [])].sort(
          (a, b) => Date.parse(a.date) - Date.parse(b.date),
        ),
        notAffected,
        ...(options.tlp ? { tlp: options.tlp } : {}),
        ...(options.distributors
          ? {
              distributors: options.distributors.map(({ distributor, status, detail }) => ({
                distributor,
                status,
                ...(detail ? { detail } : {}),
              })),
            }
          : {}),
        ...(options.maintainersOnly ? { maintainersOnly: true } : {}),
      });
      break;
    case 'openvex':
      json = toOpenVex(input, { notAffected, version: revisions.length + 1 });
      break;
  }
  if (!json) return undefined;
  return {
    format,
    filename: recordFilename(
      record,
      format,
      draft,
      format === 'csaf' ? csafLabel(options) : undefined,
    ),
    content: Buffer.from(`${JSON.stringify(json, null, 2)}\n`),
  };
}
