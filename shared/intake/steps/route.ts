import type { CaseId } from '../../cases/case-id';
import { appendEachOnce } from '../../cases/case-updates';
import { ackHeldText, upstreamReminderText } from '../../notices/notice-texts';
import type { ReceivedMail } from '../../reports/received-mail';
import type { ThreadMatch } from '../../threads/thread-router';
import { acceptsOpenMail } from '../case-capacity';
import { openCase } from '../case-opening';
import { isAuthenticatedMaintainerMail, quarantineOnFullCase } from '../full-case';
import type { InboundOutcome } from '../inbound-ledger';
import type { IntakeDependencies } from '../intake-dependencies';
import { forwardToMaintainers, senderWarningEvents } from '../maintainer-forwarding';
import { recordPartyMail } from '../party-mail';
import type { UpstreamSender } from './classify';
import { triageNote } from '../report-triage';
import {
  possibleDuplicates,
  possibleDuplicatesText,
  possibleDuplicatesUpdate,
} from '../../triage/possible-duplicates';

type NewReportDependencies = Pick<
  IntakeDependencies,
  | 'cases'
  | 'ledger'
  | 'config'
  | 'crypto'
  | 'acknowledger'
  | 'mailer'
  | 'files'
  | 'clock'
  | 'log'
  | 'reporterHistory'
>;
type ThreadDependencies = Pick<
  IntakeDependencies,
  | 'cases'
  | 'config'
  | 'crypto'
  | 'mailer'
  | 'files'
  | 'clock'
  | 'log'
  | 'replays'
  | 'maintainerReplies'
  | 'distributorMail'
>;

/** A new report: its case opened, the reporter acknowledged, the maintainers sent a copy. */
async function openReport(
  deps: NewReportDependencies,
  received: ReceivedMail,
  reservedCaseId: CaseId | undefined,
  upstream: UpstreamSender | undefined,
): Promise<InboundOutcome> {
  const { record, created } = await openCase(deps, received, reservedCaseId, upstream?.name);
  // A case this invocation created has sent nothing yet: no need to ask before each send.
  const dispatch = { caseIsNew: created };
  const acknowledged = await deps.acknowledger.send(record, dispatch);
  // Read after the acknowledgment is handed over: the sender's history never delays it.
  const triage = upstream ? undefined : await triageNote(deps, record);
  // After the acknowledgment, so the reporter does not wait for the comparison. A retry finds
  // the same cases (the record's own candidates if it was recorded already). Only the compared
  // fields are read: whole cases made each report slower with every case kept.
  const duplicates =
    record.possibleDuplicates ??
    (record.reportIndex
      ? possibleDuplicates(record, await deps.cases.listCompared(), deps.clock.now())
      : []);
  const duplicatesUpdate = possibleDuplicatesUpdate(
    duplicates,
    deps.clock.now().toISOString(),
    deps.config.securityAddress,
  );
  const notes = [
    upstream ? upstreamReminderText(record, upstream.name) : undefined,
    record.ackHeld && !upstream ? ackHeldText(record) : undefined,
    triage,
    possibleDuplicatesText(duplicates),
  ].filter((note): note is string => note !== undefined);
  await forwardToMaintainers(deps, record, received, 'report', {
    ...(notes.length ? { note: notes.join('\n\n') } : {}),
    dispatch,
    alsoRecord: [acknowledged, duplicatesUpdate].filter((u) => u !== undefined),
  });
  return { kind: 'case', caseId: record.id };
}

/**
 * Mail on a case: past the full-case gate, a maintainer's goes to the maintainer-reply service
 * (commands, relaying), anyone else's is recorded and forwarded.
 */
async function addToThread(
  deps: ThreadDependencies,
  match: ThreadMatch,
  received: ReceivedMail,
): Promise<InboundOutcome> {
  const { record } = match;
  deps.log.info('intake.thread', {
    messageId: received.delivery.messageId,
    caseId: record.id,
    role: match.role,
    via: match.via,
  });
  if (!acceptsOpenMail(record) && !(await isAuthenticatedMaintainerMail(deps, match, received)))
    return quarantineOnFullCase(deps, record, received);
  if (match.role === 'maintainer' && match.maintainer) {
    const warnings = senderWarningEvents(
      received,
      deps.config.securityAddress,
      received.receivedAt,
    );
    if (warnings.length) await deps.cases.update(record, appendEachOnce(...warnings));
    await deps.maintainerReplies.handle({ ...match, maintainer: match.maintainer }, received);
  } else if (match.role === 'distributor' && match.distributor) {
    await deps.distributorMail.handle({ ...match, distributor: match.distributor }, received);
  } else {
    await recordPartyMail(
      deps,
      record,
      received,
      match.role === 'reporter' ? 'follow-up' : 'third-party',
    );
  }
  return { kind: 'follow-up', caseId: record.id };
}

export interface RouteInput {
  received: ReceivedMail;
  /** The case the thread router found, if any. */
  match: ThreadMatch | undefined;
  /** The case id an earlier attempt reserved for this delivery, reused by a retry. */
  reservedCaseId: CaseId | undefined;
  upstream: UpstreamSender | undefined;
}

/** Step 6: a new case, or mail on the case the thread router found. */
export function route(
  deps: NewReportDependencies & ThreadDependencies,
  { received, match, reservedCaseId, upstream }: RouteInput,
): Promise<InboundOutcome> {
  return match
    ? addToThread(deps, match, received)
    : openReport(deps, received, reservedCaseId, upstream);
}
