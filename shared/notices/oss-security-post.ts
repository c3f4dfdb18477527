/**
 * The disclosure-day post to oss-security: plain text wrapped at 72 columns, with the list's
 * conventions (docs/advisories.md, "oss-security"): the CVE id and the title in the subject, the
 * details in the message itself rather than behind a link, the affected and fixed versions, the
 * fix, the credits and the timeline. Pure: built from the case and the configuration.
 */
import { caseCredits, creditThanks } from '../advisories/advisory-credits';
import { cvssText } from '../advisories/cvss-score';
import type { CaseRecord } from '../cases/case-record';
import type { EmbargoConfig } from '../config/embargo-config';
import { wrapParagraph } from '../mail/wrapped-text';
import { issueTitle } from './notice-texts';

/** The list archives and most readers show 72 columns (and quoting adds to it). */
export const POST_WIDTH = 72;

const heading = (title: string) => [title, '-'.repeat(title.length)];
const wrap = (text: string, hanging = '') => wrapParagraph(text, hanging, POST_WIDTH);
const day = (iso: string) => iso.slice(0, 10);

/**
 * Text people wrote (the advisory): prose lines wider than the post are wrapped; indented
 * lines (code, a log) and shorter ones stay as written, as in every notice.
 */
function rewrapped(text: string): string[] {
  return text.split(/\r?\n/).flatMap((line) => {
    if (Array.from(line).length <= POST_WIDTH || /^\s/.test(line)) return [line.trimEnd()];
    return wrap(line.trim());
  });
}

/** Dated steps of the case that may be told in public: no names, no addresses. */
function timeline(record: CaseRecord, disclosedAt: string): string[] {
  const first = (type: string) => record.history.find((e) => e.type === type)?.at;
  const steps: [string | undefined, string][] = [
    [record.receivedAt, 'Reported privately to the project'],
    [first('acknowledged'), 'Report acknowledged'],
    [first('advance-notice'), 'Advance notice to distributors'],
    [disclosedAt, 'Public disclosure (this post)'],
  ];
  return steps
    .filter((s): s is [string, string] => s[0] !== undefined)
    .flatMap(([at, what]) => wrap(`${day(at)}  ${what}`, ' '.repeat(12)));
}

export interface PostLinks {
  /** The published GitHub advisory. */
  ghsaUrl?: string;
  /** The OSV record's file in the repository OSV.dev imports from. */
  osvUrl?: string;
}

export function ossSecurityPostText(
  record: CaseRecord,
  config: EmbargoConfig,
  links: PostLinks = {},
): { subject: string; text: string } {
  const title = issueTitle(record);
  const disclosedAt = record.disclosedAt ?? record.disclosureAt ?? new Date().toISOString();
  const credits = caseCredits(record);
  const row = (label: string, value: string) => wrap(`${label.padEnd(19)}${value}`, ' '.repeat(19));
  const references = [
    ...(record.cve ? [`https://www.cve.org/CVERecord?id=${record.cve}`] : []),
    ...(links.ghsaUrl ? [links.ghsaUrl] : []),
    ...(links.osvUrl ? [links.osvUrl] : []),
    ...(config.repositoryUrl ? [config.repositoryUrl] : []),
  ];
  return {
    subject: `${record.cve ? `${record.cve}: ` : ''}${config.project}: ${title}`,
    text: [
      'Hello,',
      '',
      ...wrap(
        `The ${config.project} project discloses today a security issue, fixed in the releases named below.`,
      ),
      '',
      ...row('Issue:', title),
      ...row('CVE:', record.cve ?? 'none assigned yet'),
      ...(record.severity ? row('Severity:', record.severity) : []),
      ...(record.cvss ? row('CVSS:', cvssText(record.cvss)) : []),
      ...(record.cwes?.length ? row('CWE:', record.cwes.join(', ')) : []),
      ...row('Affected versions:', record.affected ?? 'see the description'),
      ...row('Fixed versions:', record.fixed ?? 'no fixed release yet'),
      '',
      ...heading('Description'),
      ...rewrapped(record.advisory ?? ''),
      '',
      ...heading('Fix'),
      ...wrap(
        record.fixed
          ? `Upgrade to ${record.fixed}.`
          : 'No fixed release yet; the project will follow up on this thread.',
      ),
      ...(record.patches?.length
        ? [
            'The patches:',
            ...record.patches.flatMap((p) => wrap(`- ${p.filename} (SHA-256 ${p.sha256})`, '  ')),
          ]
        : []),
      '',
      ...heading('Credits'),
      ...(credits.length
        ? creditThanks(credits).flatMap((line) => wrap(line))
        : wrap('Thanks to the reporter, who reported the issue privately.')),
      '',
      ...heading('Timeline'),
      ...timeline(record, disclosedAt),
      ...(references.length ? ['', ...heading('References'), ...references] : []),
      '',
      ...wrap(
        `Reference: ${record.id}. Report security issues in ${config.project} to ${config.securityAddress}.`,
      ),
    ].join('\n'),
  };
}
