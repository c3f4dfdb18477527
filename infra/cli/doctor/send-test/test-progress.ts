import type { CaseRecord } from '../../../../shared/cases/case-record';
import type { InboundRecord } from '../../../../shared/intake/inbound-ledger';

/** What the inbox shows at one moment: the cases and what became of each received message. */
export interface Observed {
  cases: readonly CaseRecord[];
  inbound: readonly InboundRecord[];
}

export interface SentReport {
  label: string;
  token: string;
  from: string;
  /** When it was handed to SES (ISO 8601). */
  sentAt: string;
}

/** How far one test report got, and what stopped it. */
export interface ReportProgress {
  label: string;
  caseId?: string;
  caseOpen: boolean;
  acknowledged: boolean;
  /** The maintainers the copies went to, by name, once sent. */
  copiesTo?: string[];
  /** A problem that waiting will not fix. */
  problem?: string;
  done: boolean;
}

const COPIES = /^Sent encrypted to (.+?)(;|$)/;

/**
 * Pure verdict over what is observed: the report's case (found by the token in its subject),
 * its acknowledgment, and the maintainer copies (the `forwarded` event of the report itself),
 * which must reach every maintainer in `maintainers` (those with usable keys).
 */
export function assessReport(
  report: SentReport,
  observed: Observed,
  maintainers: readonly string[],
): ReportProgress {
  const base = { label: report.label, caseOpen: false, acknowledged: false, done: false };
  const record = observed.cases.find((c) => c.subject.includes(report.token));
  if (!record) {
    const refused = observed.inbound.find(
      (m) =>
        m.sender.toLowerCase() === report.from.toLowerCase() &&
        m.receivedAt >= report.sentAt &&
        (m.outcome?.kind === 'rejected' || m.outcome?.kind === 'quarantined'),
    );
    if (
      refused?.outcome &&
      (refused.outcome.kind === 'rejected' || refused.outcome.kind === 'quarantined')
    ) {
      return {
        ...base,
        problem: `A message from ${report.from} was ${refused.outcome.kind} (${refused.outcome.reason}) instead of opening a case (npx embargo inbound).`,
      };
    }
    return base;
  }
  const events = record.history;
  const acknowledged =
    Boolean(record.acknowledgedAt) || events.some((e) => e.type === 'acknowledged');
  const held = events.find((e) => e.type === 'ack-held');
  const forwarded = events.find(
    (e) => e.type === 'forwarded' && e.messageId === record.reportMessageId,
  );
  const unusable = events.filter((e) => e.type === 'maintainer-key-unusable');
  const copiesTo = forwarded ? (COPIES.exec(forwarded.summary)?.[1]?.split(', ') ?? []) : undefined;
  const missing = copiesTo ? maintainers.filter((name) => !copiesTo.includes(name)) : [];

  const problems: string[] = [];
  if (held && !acknowledged) problems.push(`the acknowledgment is held: ${held.summary}`);
  if (unusable.length) problems.push(unusable.map((e) => e.summary).join('; '));
  if (forwarded && (copiesTo?.length ?? 0) === 0) problems.push(`no copies: ${forwarded.summary}`);
  else if (missing.length) problems.push(`no copy to ${missing.join(', ')}`);

  return {
    label: report.label,
    caseId: record.id,
    caseOpen: true,
    acknowledged,
    copiesTo,
    problem: problems.length ? `Case ${record.id}: ${problems.join('; ')}.` : undefined,
    done: acknowledged && copiesTo !== undefined && copiesTo.length > 0 && missing.length === 0,
  };
}

/** What to look at when a report stopped at this point (for the timeout message). */
export function whereToLook(progress: ReportProgress): string {
  if (!progress.caseOpen) {
    return 'No case: check that the MX record and the active rule set are right (npx embargo doctor), then the intake log group and its dead-letter queue.';
  }
  if (!progress.acknowledged) {
    return 'No acknowledgment yet: the watch retries it every 15 minutes; look for watch.ack-failed in the watch log (in the SES sandbox, deploy with -c sesSandbox=true -c sandboxIdentities=<your address>).';
  }
  return "No maintainer copies yet: check the intake log group and the maintainers' keys (npx embargo maintainer list).";
}
