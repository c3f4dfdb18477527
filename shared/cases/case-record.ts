import type { CaseId } from './case-id';
import type { Credit } from '../advisories/advisory-credits';
import type { NotAffectedStatement } from '../advisories/vex-statements';
import type { CvssScore } from '../advisories/cvss-score';
import type { GitHubAdvisoryLink } from './github-advisory-link';
import type { CsafDirectoryLink, OsvCommitLink, OssSecurityPostLink } from './published-records';
import type { CaseRecipient } from './case-recipient';
import type { Authentication } from './authentication';
import type { DecryptionFailure, ReportContent, SignatureCheck } from '../reports/report-content';

/** `disclosed`: the public notice went out; the case stays open until a maintainer closes it. */
export type CaseStatus = 'new' | 'triaged' | 'disclosed' | 'closed';

export const caseStatuses: readonly CaseStatus[] = ['new', 'triaged', 'disclosed', 'closed'];

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/**
 * How a case ended (`/close`, `/invalid`): `closed` is an ending the maintainers did not name.
 * Recorded with `resolvedAt` and, when given, `resolutionReason`, so that stats can count them.
 */
export const resolutions = [
  'fixed',
  'invalid',
  'wontfix',
  'duplicate',
  'out-of-scope',
  'closed',
] as const;
export type Resolution = (typeof resolutions)[number];

export type CaseEventType =
  | 'opened'
  | 'acknowledged'
  | 'follow-up'
  | 'forwarded'
  | 'undecryptable'
  | 'maintainer-key-unusable'
  | 'reporter-key'
  | 'maintainer-reply'
  | 'commands-applied'
  | 'commands-refused'
  | 'schedule'
  | 'advance-notice'
  | 'disclosure-notice'
  | 'notice-blocked'
  | 'escalated'
  | 'reminder'
  | 'upstream'
  | 'delivery-problem'
  | 'case-full'
  | 'ack-held'
  | 'sender-warning'
  | 'github-advisory'
  /** A maintainer's `/note`: kept on the case, never relayed. */
  | 'note'
  | 'record-published'
  | 'possible-duplicate'
  | 'duplicate-linked'
  | 'distributor-mail'
  | 'distributor-invitation'
  | 'distributor-lapsed';

export type { Authentication } from './authentication';

/** One entry in a case's append-only, hash-chained history. */
export interface CaseEvent {
  /** Makes appending idempotent: an event whose id is in the history is not appended again. */
  id: string;
  /** When it was recorded: always real time, so the history sorts as it happened. */
  at: string;
  /** The instant the work acted as of, when an operator ran it for another time (`tick --now`). */
  simulatedAt?: string;
  type: CaseEventType;
  actor: string;
  summary: string;
  /** The stored raw message this event came from, if any (SES message id). */
  messageId?: string;
  /** For mail received: how it was encrypted and signed. */
  protection?: Protection;
  authentication?: Authentication;
  /** Field changes made by this event, as `field: old → new` lines. */
  changes?: string[];
  /** SHA-256 over the previous entry's hash and this entry (see case-history.ts). */
  hash?: string;
}

/** How a message was protected: recorded per report and follow-up, never its content. */
export interface Protection {
  encryption: ReportContent['encryption'];
  failure?: DecryptionFailure;
  signatures: SignatureCheck[];
}

export interface ReporterKey {
  fingerprint: string;
  armored: string;
}

export interface PatchFile {
  filename: string;
  /** Where the patch is stored (case files store key). */
  key: string;
  sha256: string;
  bytes: number;
}

/** What maintainers set with commands; all optional until they do. */
export interface CaseDetails {
  title?: string;
  severity?: Severity;
  affected?: string;
  fixed?: string;
  cve?: string;
  /** A CVSS 3.1 or 4.0 vector with its score (`/cvss`); it also sets `severity`. */
  cvss?: CvssScore;
  /** CWE ids (`/cwe`), e.g. ["CWE-125"]. */
  cwes?: string[];
  /** Who is credited, and for what (`/credit`). */
  credits?: Credit[];
  /** Versions that are not affected, with the VEX justification (`/vex not-affected`). */
  notAffected?: NotAffectedStatement[];
  /** A credited name as cases stored it before credits had types (read with `caseCredits`). */
  credit?: string;
  advisory?: string;
  patches?: PatchFile[];
  /** The public disclosure instant, ISO 8601 UTC. */
  disclosureAt?: string;
  /**
   * How many times a command changed the disclosure date (absent: never). Notices are keyed by
   * date and this count, so a date set again (D → D+1 → D) is told again.
   */
  dateChanges?: number;
  urgent?: boolean;
  /** Exploits are held back at disclosure: the distros list wants them public within 7 days. */
  exploitHeld?: boolean;
  resolution?: Resolution;
  /** Why, in the maintainer's words (`/invalid <reason>`, `/close <ending> <reason>`). */
  resolutionReason?: string;
  /** When the ending was recorded, ISO 8601 UTC; gone again on `/reopen`. */
  resolvedAt?: string;
  duplicateOf?: CaseId;
  /** The team's own labels (`/label`), sorted. */
  labels?: string[];
  /**
   * Why the automatic acknowledgment is held for the maintainers to decide (`/ack` sends it):
   * set when the sender's domain says the From line is forged, so that the acknowledgment does
   * not go to someone who never wrote.
   */
  ackHeld?: string;
  /**
   * The distributors chosen for this case (`/distributors`): lower-cased address and name.
   * Absent: the whole list. Maintainers only.
   */
  distributorSelection?: { address: string; name: string }[];
}

export interface CaseRecord extends CaseDetails {
  id: CaseId;
  /** A reporter's report, or an upstream project's announcement to act on. */
  kind?: 'report' | 'upstream';
  status: CaseStatus;
  reporter: { address: string; name?: string };
  /**
   * Why the reporter's From header was refused (addresses/from-header.ts): `reporter.address`
   * then holds the header as it read, and no mail is ever sent to it.
   */
  reporterAddressProblem?: string;
  subject: string;
  receivedAt: string;
  /** When the 48-hour promise runs out. */
  ackDueAt: string;
  acknowledgedAt?: string;
  /** The stored raw report (SES message id; S3 key suffix). */
  reportMessageId: string;
  /** The report's own Message-ID header, for threading the acknowledgment. */
  reportMessageIdHeader?: string;
  /**
   * Unguessable token in the reporter's Reply-To address, in cases opened before replies went
   * to the plain security address. Still honoured: old mail carries it.
   */
  reporterReplyToken?: string;
  /** Each maintainer's own reply token for such a case, by lower-cased address (still honoured). */
  maintainerReplyTokens?: Record<string, string>;
  /**
   * Secret from which the Message-IDs of the case's mails are derived (message-id.ts). Cases
   * opened before it existed have none; their mails claim a Message-ID in the outbox ledger.
   */
  messageIdKey?: string;
  /** How the report itself was protected. */
  protection: Protection;
  /** Once known, every mail to the reporter is encrypted to this key. */
  reporterKey?: ReporterKey;
  /** The disclosure dates for which the advance notice went out, the last one told last. */
  advanceNoticesSent?: string[];
  /** The `dateChanges` count when the last advance notice went out (absent: 0). */
  advanceNoticeRound?: number;
  /** When the public notice went out. */
  disclosedAt?: string;
  /** What triage found in the report when the case opened (shared/triage); absent before. */
  triage?: TriageFindings;
  /** Each distributor told of the case: what went out, what it answered (distributors/). */
  recipients?: CaseRecipient[];
  /** The GitHub repository security advisory `/ghsa` created. */
  ghsa?: GitHubAdvisoryLink;
  /**
   * Secret under which the GitHub draft's mark is made (advisory-marker.ts), set when `/ghsa`
   * first creates the draft; never shown.
   */
  ghsaMarkKey?: string;
  /** The commit of the OSV record to `osv.repository` on disclosure day. */
  osvCommit?: OsvCommitLink;
  /** The CSAF document in the CSAF provider directory (with `csaf`), from D on. */
  csafDirectory?: CsafDirectoryLink;
  /** The post to oss-security sent on disclosure day (`ossSecurityPost: "send"`). */
  ossSecurityPost?: OssSecurityPostLink;
  /**
   * What is kept of the report to recognise later reports of the same bug
   * (shared/triage/report-fingerprint.ts): word stems with counts and what identifies the bug,
   * never the text. Stored, encrypted and removed with the case; shown only to maintainers.
   * Absent for upstream cases, reports that could not be decrypted and older cases.
   */
  reportIndex?: StoredReportIndex;
  /** Earlier cases the report may repeat, found when the case opened (docs/triage.md). */
  possibleDuplicates?: PossibleDuplicate[];
  /** Cases a maintainer said this one does not repeat (`/not-duplicate`): never flagged again. */
  notDuplicateOf?: CaseId[];
  /** Incremented by every write; writes are conditional on it. */
  version: number;
  history: CaseEvent[];
}

/**
 * What triage found in a report as its case opened: the ids of the configuration's rules, and
 * the words of the report that matched them; shown to maintainers, never acted on.
 */
export interface TriageFindings {
  /** The `reportRequirements` the report does not meet. */
  missing: string[];
  /** The `outOfScope` rules it matches, each with the words that matched. */
  outOfScope: { id: string; term: string }[];
  /** The words by which it says AI tools were used, if it does. */
  aiMention?: string;
  /**
   * Why the acknowledgment asked nothing about the content: it may be someone else's report
   * sent again (replayed ciphertext), and what it lacks would tell the sender about it.
   */
  asksWithheld?: string;
}

/** The stored form of a report fingerprint (its kinds are checked where it is used). */
export interface StoredReportIndex {
  terms: Record<string, number>;
  identifiers: { kind: string; value: string }[];
  classes: string[];
}

export interface PossibleDuplicate {
  caseId: CaseId;
  /** 0 to 1 (shared/triage/duplicate-detector.ts). */
  score: number;
  /** What a person can check, e.g. "both name src/http/chunked.c". */
  reasons: string[];
}

/** A change to a case: new field values and the events that record them. */
export interface CaseUpdate {
  fields?: Partial<Omit<CaseRecord, 'id' | 'history' | 'version'>>;
  events: CaseEvent[];
}
