import { countOf } from '../mail/count-text';
import { MAIL_TEXT_WIDTH, wrapParagraph } from '../mail/wrapped-text';
import { caseCredits, creditText, creditThanks } from '../advisories/advisory-credits';
import { cvssText } from '../advisories/cvss-score';
import type { EmbargoConfig } from '../config/embargo-config';
import type { Distributor } from './distributor-directory';
import { formatUtc } from '../time/utc-text';
import { formatForZone } from '../time/zoned-text';
import { caseSubjectTag } from '../cases/case-id';
import type { CaseRecord, PatchFile } from '../cases/case-record';
import { singleLine } from '../mail/single-line';
import { formatMiB } from '../outbound/oversized-attachments';
import { distributorAnswerHelp } from '../distributors/distributor-answers';
import {
  distributorStatements,
  type DistributorStatement,
} from '../distributors/distributor-statements';

const rule = (title: string) => [title, '-'.repeat(title.length)];

export function issueTitle(record: CaseRecord): string {
  return record.title ?? `Security issue ${record.id}`;
}

/** "Alice (finder, @alice); Bob (analyst)", or undefined when nobody is credited yet. */
function creditNames(record: CaseRecord): string | undefined {
  return caseCredits(record).map(creditText).join('; ') || undefined;
}

/** Which supported versions get fixes: the main branch and the most recent releases. */
export function supportedLine(config: EmbargoConfig): string {
  const releases = config.supportedReleases.length
    ? config.supportedReleases.join(', ')
    : 'the two most recent releases';
  return `the ${config.mainBranch} branch and ${releases}`;
}

/**
 * The facts of an issue as labelled rows; `support` adds which versions get fixes, `timeZone`
 * the disclosure time in the reader's zone.
 */
function facts(
  record: CaseRecord,
  config: EmbargoConfig,
  support = true,
  timeZone?: string,
): string[] {
  // A long value (a title, a CVSS vector) continues under itself, not under the label.
  const row = (label: string, value: string | undefined) =>
    wrapParagraph(`${label.padEnd(16)}${value ?? '(not set)'}`, ' '.repeat(16));
  return [
    ...row('Issue:', issueTitle(record)),
    ...(record.cve ? row('CVE:', record.cve) : []),
    ...row('Severity:', record.severity),
    ...(record.cvss ? row('CVSS:', cvssText(record.cvss)) : []),
    ...(record.cwes?.length ? row('CWE:', record.cwes.join(', ')) : []),
    ...row('Affected:', record.affected),
    ...row('Fixed in:', record.fixed),
    ...(support ? row('Fixes for:', supportedLine(config)) : []),
    ...row(
      'Disclosure:',
      record.disclosureAt ? formatForZone(record.disclosureAt, timeZone) : undefined,
    ),
  ];
}

function remedySteps(record: CaseRecord, config: EmbargoConfig, timeZone?: string): string[] {
  const date = record.disclosureAt
    ? formatForZone(record.disclosureAt, timeZone)
    : 'the disclosure date';
  const patches = record.patches?.length ? 'the attached patches' : 'the fixes';
  return [
    ...wrapParagraph(
      `1. On ${date} we apply ${patches} to the public repository. The commit messages say they are security fixes and warn of the coming disclosure, without describing the issue.`,
      '   ',
    ),
    ...wrapParagraph(
      `2. The same day we issue new releases${record.fixed ? `: ${record.fixed}` : ''}.`,
      '   ',
    ),
    ...wrapParagraph(`3. Then we publish the full advisory on ${config.announceAddress}.`, '   '),
  ];
}

/** The advance notice for one distributor. It names no other recipient. */
export function advanceNoticeText(input: {
  record: CaseRecord;
  config: EmbargoConfig;
  distributor: Distributor;
  previousDate?: string;
}): { subject: string; text: string } {
  const { record, config, distributor } = input;
  const zone = distributor.timeZone;
  const date = record.disclosureAt ? formatUtc(record.disclosureAt) : '(not set)';
  const zoned = record.disclosureAt ? formatForZone(record.disclosureAt, zone) : '(not set)';
  const update = input.previousDate
    ? [
        ...wrapParagraph(
          `UPDATE: the disclosure date moved from ${formatForZone(input.previousDate, zone)} to ${zoned}.`,
        ),
        '',
      ]
    : [];
  return {
    subject: `${caseSubjectTag(record.id)} ${input.previousDate ? 'Updated advance' : 'Advance'} notice: ${issueTitle(record)} (disclosure ${date})`,
    text: [
      ...wrapParagraph(`To ${distributor.name},`),
      '',
      ...update,
      ...wrapParagraph(
        `This is a confidential advance notification from the ${config.project} security team. The issue below is under embargo until ${zoned}. Please share it only with the people who prepare your updates, and do not publish anything about it before that time.`,
      ),
      '',
      ...facts(record, config, true, zone),
      '',
      ...rule('Description'),
      record.advisory ?? '',
      '',
      ...rule('What we will do'),
      ...remedySteps(record, config, zone),
      '',
      ...rule('Patches'),
      ...(record.patches?.length
        ? record.patches.flatMap((p) =>
            wrapParagraph(`- ${p.filename} (SHA-256 ${p.sha256})`, '  '),
          )
        : ['None attached: the fix will be published with the releases.']),
      '',
      ...answerHowText(config),
      'This copy is encrypted to your key alone.',
    ].join('\n'),
  };
}

export function reporterDateText(
  record: CaseRecord,
  config: EmbargoConfig,
): { subject: string; text: string } {
  const date = record.disclosureAt ? formatUtc(record.disclosureAt) : '(not set)';
  return {
    subject: `Public disclosure planned for ${date}`,
    text: [
      'Hello,',
      '',
      ...wrapParagraph(
        `The ${config.project} security team plans to disclose the issue you reported publicly on ${date}. Distributors have been notified in confidence today so that they can prepare updates. Please keep the issue private until then.`,
      ),
      '',
      ...wrapParagraph(
        `The advisory will credit: ${creditNames(record) ?? 'you, unless you tell us otherwise (reply to this mail)'}.`,
        '  ',
      ),
    ].join('\n'),
  };
}

export function notifiedSummaryText(input: {
  record: CaseRecord;
  notified: string[];
  skipped: { name: string; problem: string }[];
  /** Consent first: invited, or not sent the details because of their answer or silence. */
  withheld?: { name: string; problem: string }[];
  updated: boolean;
}): { subject: string; text: string } {
  const { record, notified, skipped } = input;
  return {
    subject: `${input.updated ? 'Updated advance' : 'Advance'} notice sent to ${countOf(notified.length, 'distributor')}`,
    text: [
      ...wrapParagraph(
        `The ${input.updated ? 'updated ' : ''}advance notice for ${record.id} went to ${countOf(notified.length, 'distributor')}, each copy encrypted to that distributor alone:`,
      ),
      ...notified.map((n) => `  - ${n}`),
      ...(skipped.length
        ? [
            '',
            'Skipped, because their key cannot be used (nothing was sent to them):',
            ...skipped.map((s) => `  - ${s.name}: ${s.problem}`),
          ]
        : []),
      ...(input.withheld?.length
        ? [
            '',
            'Consent first (no details sent to them):',
            ...input.withheld.map((s) => `  - ${s.name}: ${s.problem}`),
          ]
        : []),
      '',
      `The reporter was told the disclosure date (${record.disclosureAt ? formatUtc(record.disclosureAt) : ''}).`,
      'This list is for maintainers only.',
    ].join('\n'),
  };
}

/** The public advisory for the announce list on disclosure day. */
export function publicNoticeText(
  record: CaseRecord,
  config: EmbargoConfig,
): { subject: string; text: string } {
  const credits = caseCredits(record);
  const thanks = credits.length
    ? creditThanks(credits)
    : ['Thanks to the reporter, who reported the issue privately.'];
  return {
    subject: `${config.project} security advisory: ${issueTitle(record)}${record.cve ? ` (${record.cve})` : ''}`,
    text: [
      ...wrapParagraph(`${config.project} security advisory ${record.cve ?? record.id}`),
      '',
      ...facts(record, config, false),
      '',
      ...rule('Description'),
      record.advisory ?? '',
      '',
      ...rule('Remedy'),
      record.fixed ? `Upgrade to ${record.fixed}.` : 'Upgrade to the release published today.',
      ...(record.patches?.length
        ? [
            'Patches:',
            ...record.patches.flatMap((p) =>
              wrapParagraph(`- ${p.filename} (SHA-256 ${p.sha256})`, '  '),
            ),
          ]
        : []),
      '',
      ...rule('Credit'),
      ...thanks.flatMap((line) => wrapParagraph(line)),
      '',
      ...wrapParagraph(
        `Reference: ${record.id}. Report security issues to ${config.securityAddress}.`,
      ),
    ].join('\n'),
  };
}

export function disclosureChecklistText(
  record: CaseRecord,
  config: EmbargoConfig,
  exports: string[],
  /** The oss-security post (oss-security-post.ts), and whether Embargo sends it itself. */
  ossPost?: { subject: string; text: string; sends: boolean },
  /** The distributors' statuses the public CSAF carries (those that consented to be named). */
  named: readonly DistributorStatement[] = [],
): { subject: string; text: string } {
  const leftOut = distributorStatements(record).length - named.length;
  return {
    subject: `Disclosure day: ${issueTitle(record)}`,
    text: [
      `Today is disclosure day for ${record.id}. The public notice went to ${config.announceAddress}.`,
      '',
      'Checklist:',
      `[ ] Apply the patches to the repository (${record.patches?.map((p) => p.filename).join(', ') || 'no patches on the case'}).`,
      '    Commit messages: say they are security fixes and that an advisory is coming,',
      '    but do not describe the issue, e.g. "Security fix; advisory to follow".',
      `[ ] Issue the releases${record.fixed ? `: ${record.fixed}` : ''}.`,
      ...(record.cve
        ? [`[ ] Publish ${record.cve} (the CVE JSON 5 record is attached).`]
        : ['[ ] No CVE id is set (/cve): request one if the issue warrants it.']),
      config.osv
        ? `[x] Embargo commits the OSV record to ${config.osv.repository} for OSV.dev (attached too).`
        : '[ ] Submit the OSV record to your advisory database (attached).',
      '[ ] Publish the CSAF document where your CSAF readers fetch it, and the OpenVEX document',
      '    beside the release (attached; see docs/advisories.md for who reads which).',
      ...(named.length > 0
        ? wrapParagraph(
            `The CSAF names ${named.map((s) => s.distributor).join(', ')} with ${named.length === 1 ? 'its' : 'their'} signed status (they agreed to be named).`,
            '',
            MAIL_TEXT_WIDTH - 4,
          ).map((line) => `    ${line}`)
        : []),
      ...(leftOut > 0
        ? wrapParagraph(
            `${countOf(leftOut, "distributor's signed status", "distributors' signed statuses")} ${leftOut === 1 ? 'is' : 'are'} left out of it (no consent to be named); npx embargo export ${record.id} --format csaf --include-distributors writes a TLP:RED copy with every one.`,
            '',
            MAIL_TEXT_WIDTH - 4,
          ).map((line) => `    ${line}`)
        : []),
      ...(config.ossSecurity && ossPost?.sends
        ? [
            `[x] Embargo posts the advisory to ${config.ossSecurity} from ${config.securityAddress}`,
            '    once the records are published (ossSecurityPost: "send"); you get a copy.',
            '    Exploits held back must follow within 7 days.',
          ]
        : config.ossSecurity
          ? [
              `[ ] Post the advisory to ${config.ossSecurity} now: the distros list policy asks for it`,
              '    on the day the embargo ends. Exploits held back must follow within 7 days.',
              ...(ossPost ? ['    The post, ready to send, is at the end of this mail.'] : []),
            ]
          : []),
      '',
      `Attached: ${exports.join(', ') || 'nothing'}.`,
      ...(config.ossSecurity && ossPost && !ossPost.sends
        ? [
            '',
            `----- Post to ${config.ossSecurity} (plain text, as it stands) -----`,
            `Subject: ${ossPost.subject}`,
            '',
            ossPost.text,
            '----- End of the post -----',
          ]
        : []),
    ].join('\n'),
  };
}

export function upstreamReminderText(record: CaseRecord, upstream: string): string {
  return [
    `${upstream} published a security announcement (case ${record.id}).`,
    'Per the policy, the project ships a release of its own that includes the fix and announces',
    'it on the mailing list. Set /fixed and /disclose on this case: the disclosure-day notice',
    'will announce the release.',
  ].join('\n');
}

/** The note on maintainers' copies of a report whose acknowledgment is held. */
export function ackHeldText(record: CaseRecord): string {
  return [
    `No acknowledgment was sent to ${record.reporter.address}: ${record.ackHeld}.`,
    'If the report is genuine, send the acknowledgment with the signed command /ack (or answer',
    `the reporter yourself) before ${formatUtc(record.ackDueAt)}; the watch warns as the deadline nears.`,
  ].join('\n');
}

/** For a distributor: the patches too large to mail with the notice, and how to get them. */
export function patchesLeftOutText(left: readonly PatchFile[]): string {
  if (!left.length) return '';
  return [
    '',
    '',
    'Not attached, because the notice would be too large to send by mail:',
    ...left.map(
      (p) => `  - ${singleLine(p.filename, 100)} (${formatMiB(p.bytes)}, SHA-256 ${p.sha256})`,
    ),
    'Reply to this mail (encrypted) and we will get them to you another way.',
  ].join('\n');
}

/** For the maintainers: which patches the advance notice left out, and how to fetch them. */
export function patchesLeftOutForMaintainers(caseId: string, left: readonly PatchFile[]): string {
  if (!left.length) return '';
  return [
    '',
    '',
    'Not attached to the notice (too large to send by mail); distributors were told to ask.',
    'Fetch them with the Embargo CLI:',
    ...left.flatMap((p) => [
      `  ${singleLine(p.filename, 100)} (${formatMiB(p.bytes)}, SHA-256 ${p.sha256})`,
      `    npx embargo file ${caseId} ${p.key} --out <file>`,
    ]),
  ].join('\n');
}

/**
 * How a distributor answers: a reply signed with its registered key (encrypted to the project
 * key), answer lines first; only the maintainers read it.
 */
export function answerHowText(config: EmbargoConfig): string[] {
  return [
    ...wrapParagraph(
      `Answer by replying to this mail, signed with the key registered for you and encrypted to ${config.securityAddress}. Lines at the start of your text:`,
    ),
    ...distributorAnswerHelp.map((h) => `  ${h}`),
    ...wrapParagraph(
      'Anything else you write goes to the maintainers alone. Unsigned mail is passed on to them but records nothing.',
    ),
    // Told here because a status may become public: only with the distributor's consent.
    ...wrapParagraph(
      'A signed /status names you in the public CSAF advisory after the disclosure only if you agreed with the maintainers to be named; otherwise it stays with them.',
    ),
  ];
}

/**
 * Consent first: the invitation to an embargo, with what a distributor needs to decide and no
 * details of the issue (no title, advisory, versions or patches): those go after `/accept`.
 */
export function invitationText(input: {
  record: CaseRecord;
  config: EmbargoConfig;
  distributor: Distributor;
  /** Until when the invitation stays open. */
  openUntil: string;
}): { subject: string; text: string } {
  const { record, config, distributor } = input;
  const date = record.disclosureAt ? formatUtc(record.disclosureAt) : '(not set)';
  // The body gives each time in the distributor's zone too (the subject stays short, in UTC).
  const zoned = record.disclosureAt
    ? formatForZone(record.disclosureAt, distributor.timeZone)
    : '(not set)';
  return {
    subject: `${caseSubjectTag(record.id)} Invitation to an embargo: ${config.project} (disclosure ${date})`,
    text: [
      ...wrapParagraph(`To ${distributor.name},`),
      '',
      ...wrapParagraph(
        `The ${config.project} security team invites you to a confidential embargo. This mail holds no details of the issue: they go to you only once you accept.`,
      ),
      '',
      `Project:        ${config.project}`,
      `Severity:       ${record.severity ?? '(not set)'}`,
      `Disclosure:     ${zoned}`,
      '',
      ...rule('Terms'),
      ...wrapParagraph(
        `- Nothing about the issue is published or shared beyond the people who prepare your updates before ${zoned}.`,
        '  ',
      ),
      ...wrapParagraph(
        `- The embargo lasts at most ${countOf(config.maxEmbargoDays, 'day')} from the first notice; if the date moves, you are told at once.`,
        '  ',
      ),
      '',
      ...wrapParagraph(
        `Answer by ${formatForZone(input.openUntil, distributor.timeZone)}, signed with the key registered for you and encrypted to ${config.securityAddress}: /accept, and the details follow at once; /decline, or no answer by then, and no details will ever be sent to you for this case.`,
      ),
      '',
      'This copy is encrypted to your key alone.',
    ].join('\n'),
  };
}
