import { caseCredits, creditText } from '../advisories/advisory-credits';
import { notAffectedText } from '../advisories/vex-statements';
import { cvssText } from '../advisories/cvss-score';
import { formatUtc } from '../time/utc-text';
import { verifyChain } from './case-history';
import type { CaseRecord } from './case-record';

/** A case as text for mail (the /status reply): fields, then the history as a timeline. */
export function caseSummaryText(record: CaseRecord): string {
  const field = (label: string, value: string | undefined) =>
    `${label.padEnd(12)} ${value ?? '(unset)'}`;
  const chain = verifyChain(record.history);
  return [
    field('Case', record.id),
    field('Status', record.resolution ? `${record.status} (${record.resolution})` : record.status),
    field('Title', record.title),
    field('Severity', record.severity),
    field('Affected', record.affected),
    field('Fixed in', record.fixed),
    field('Not affected', record.notAffected?.map(notAffectedText).join('; ') || undefined),
    field('CVE', record.cve),
    field('CVSS', record.cvss ? cvssText(record.cvss) : undefined),
    field('CWE', record.cwes?.join(', ')),
    field('Credit', caseCredits(record).map(creditText).join('; ') || undefined),
    field('Disclosure', record.disclosureAt ? formatUtc(record.disclosureAt) : undefined),
    field('Urgent', record.urgent ? 'yes' : 'no'),
    field('Advisory', record.advisory ? `${record.advisory.length} characters` : undefined),
    field('Patches', record.patches?.map((p) => p.filename).join(', ')),
    field(
      'Distributors',
      record.distributorSelection
        ? record.distributorSelection.map((d) => d.name).join(', ')
        : 'the whole list',
    ),
    field('Reporter', record.reporter.address),
    field('Received', formatUtc(record.receivedAt)),
    '',
    `History (${chain.intact ? 'hash chain intact' : `HASH CHAIN BROKEN at entry ${chain.brokenAt + 1}`}):`,
    ...record.history.map(
      (e) =>
        `  ${formatUtc(e.at)}  ${e.type}  ${e.actor}: ${e.summary}` +
        (e.changes?.length ? `\n${e.changes.map((c) => `      ${c}`).join('\n')}` : ''),
    ),
  ].join('\n');
}
