import type { CaseRecord } from '../../../shared/cases/case-record';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import { recordFilename, recordFormats } from '../../../shared/notices/advisory-records';

/** One record of a case and where it is: published (a URL, a commit, a mail) or a draft. */
export interface RecordPlace {
  name: string;
  where: string;
}

const DRAFT = 'draft (not published)';
const time = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`;

/**
 * Every record of the case that a consumer reads, and where it went: the public notice, each
 * machine-readable record (with the OSV commit), the GitHub advisory and the oss-security post.
 * Before D each is a draft, never published. Without the configuration, only what the case says.
 */
export function recordPlaces(record: CaseRecord, config?: EmbargoConfig): RecordPlace[] {
  const disclosed = record.disclosedAt;
  const announce = config?.announceAddress ?? 'the announce list';
  const places: RecordPlace[] = [
    {
      name: 'notice',
      where: disclosed
        ? `mailed to ${announce} on ${time(disclosed)}`
        : `${DRAFT}: mailed to ${announce} on the disclosure date`,
    },
  ];
  for (const format of recordFormats.filter((f) => f !== 'cve' || record.cve)) {
    const stored = `${record.id}/exports/${recordFilename(record, format, false)}`;
    const exported = `npx embargo export ${record.id} --format ${format}`;
    let where = disclosed ? stored : exported;
    if (format === 'osv' && record.osvCommit)
      where = `committed to ${record.osvCommit.repository} (${record.osvCommit.path}): ${record.osvCommit.commitUrl || 'commit not named by GitHub'}; ${stored}`;
    else if (format === 'osv' && config?.osv)
      where = disclosed
        ? `NOT committed to ${config.osv.repository} (see the history); ${stored}`
        : `${DRAFT}: committed to ${config.osv.repository} on the disclosure date; ${exported}`;
    if (format === 'csaf' && record.csafDirectory) {
      const dir = record.csafDirectory;
      where = `published in the CSAF provider directory of ${dir.repository} (version ${dir.version}): ${dir.url}; ${stored}`;
    } else if (format === 'csaf' && config?.csaf)
      where = disclosed
        ? `NOT published in the CSAF provider directory of ${config.csaf.repository} (see the history); ${stored}`
        : `${DRAFT}: published in the CSAF provider directory of ${config.csaf.repository} on the disclosure date; ${exported}`;
    places.push({ name: format, where });
  }
  if (record.ghsa)
    places.push({
      name: 'ghsa',
      where: record.ghsa.publishedAt
        ? `published on ${time(record.ghsa.publishedAt)}: ${record.ghsa.url}`
        : `${DRAFT}: ${record.ghsa.url}`,
    });
  if (config?.ossSecurity) {
    const list = config.ossSecurity;
    const sends = config.ossSecurityPost === 'send';
    const post = record.ossSecurityPost;
    places.push({
      name: 'oss-sec',
      where: post
        ? `posted to ${post.to} on ${time(post.sentAt)}: ${post.subject}`
        : !disclosed
          ? `${DRAFT}: ${sends ? `Embargo posts it to ${list}` : `the checklist carries it, for the maintainers to post to ${list}`} on the disclosure date`
          : sends
            ? `NOT posted to ${list} (see the history)`
            : `in the disclosure-day checklist, for the maintainers to post to ${list}`,
    });
  }
  return places;
}
