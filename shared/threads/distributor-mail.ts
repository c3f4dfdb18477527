import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { Logger } from '../logging/logger';
import type { MailCrypto } from '../pgp/mail-crypto';
import type { ReplayGuard } from '../commands/replay-guard';
import type { Authentication, CaseRecord } from '../cases/case-record';
import { hasEvent } from '../cases/case-updates';
import { type CaseMailer, caseSubject } from '../outbound/case-mailer';
import { protectionOf } from '../outbound/maintainer-copies';
import type { ReceivedMail } from '../reports/received-mail';
import { signedByKey, staleSignature } from '../commands/command-authentication';
import type { Distributor } from '../notices/distributor-directory';
import { disclosurePolicyWarnings } from '../notices/disclosure-policy';
import { noticeRound } from '../notices/notice-round';
import { formatUtc } from '../time/utc-text';
import { countOf } from '../mail/count-text';
import {
  distributorAnswerHelp,
  parseDistributorAnswers,
  type DistributorAnswerLine,
} from '../distributors/distributor-answers';
import {
  applyRecipientEvent,
  recipientOf,
  type RecipientEvent,
} from '../distributors/recipient-events';
import { invitationClosesAt } from '../distributors/consent-step';
import type { NoticeService } from '../notices/notice-service';
import { ownText } from './own-text';
import type { ThreadMatch } from './thread-router';

export interface DistributorMailDependencies {
  config: EmbargoConfig;
  cases: CaseRepository;
  mailer: CaseMailer;
  crypto: MailCrypto;
  replays: ReplayGuard;
  clock: Clock;
  log: Logger;
  /** Consent first: sends the details to a distributor that has just accepted. */
  notices: Pick<NoticeService, 'afterAcceptance'>;
}

/** Whether a distributor's mail may speak for it, and the text that may. */
type Verdict =
  | { ok: true; fingerprint: string; text: string; unsignedBeside: boolean }
  | { ok: false; reason: string };

/**
 * A distributor's mail on a case it was told of: its signed answer lines (`/received`,
 * `/status`, `/need-date`, `/accept`, `/decline`) recorded on its entry, and everything told to
 * the maintainers alone, encrypted. Nothing of it reaches the reporter or another distributor.
 * Mail that its registered key did not sign is recorded as unauthenticated and forwarded as
 * such: it changes no status, confirmation or consent.
 */
export class DistributorMailService {
  constructor(private readonly deps: DistributorMailDependencies) {}

  async handle(
    match: ThreadMatch & { distributor: Distributor },
    received: ReceivedMail,
  ): Promise<void> {
    const { record, distributor } = match;
    const messageId = received.delivery.messageId;
    const now = this.deps.clock.now();
    const verdict = await this.authenticate(distributor, received, now);
    const own = ownText(verdict.ok ? verdict.text : received.content.text);
    const parsed = parseDistributorAnswers(own);
    const authentication: Authentication = verdict.ok
      ? { method: 'pgp-signature', fingerprint: verdict.fingerprint }
      : { method: 'none' };
    const round = noticeRound(record);
    const at = received.receivedAt;
    const events = verdict.ok
      ? answerEvents(parsed.answers, parsed.body, { at, round, authentication })
      : [
          {
            kind: 'word' as const,
            at,
            summary: `NOT authenticated (${verdict.reason})${parsed.answers.length ? `; claimed ${parsed.answers.map((a) => a.text).join('; ')}` : ''}`,
            authentication,
          },
        ];
    const lines = parsed.answers.map((a) => a.text);
    const eventId = `distributor-mail:${messageId}`;
    const updated = await this.deps.cases.update(record.id, (current) => {
      if (hasEvent(current, eventId)) return undefined;
      // An invitation answered after its window has lapsed: the /accept comes too late.
      const entry = recipientOf(current.recipients, distributor.email);
      const closed =
        entry?.consent?.state === 'invited' &&
        entry.invited !== undefined &&
        invitationClosesAt(entry.invited.at, this.deps.config.invitationWindowDays) <= new Date(at);
      const due: RecipientEvent[] = closed ? [{ kind: 'lapsed', at }, ...events] : events;
      const recipients = due.reduce(
        (list, event) => applyRecipientEvent(list, distributor, event),
        current.recipients,
      );
      return {
        fields: { recipients },
        events: [
          {
            id: eventId,
            at,
            type: 'distributor-mail',
            actor: distributor.email,
            summary: verdict.ok
              ? `${distributor.name} answered (signed): ${lines.length ? lines.join('; ') : 'no answer lines'}${parsed.body ? '; with free text' : ''}`
              : `Mail from ${distributor.name}'s address NOT authenticated (${verdict.reason}): nothing in it was taken as an answer`,
            messageId,
            protection: protectionOf(received.content),
            authentication,
          },
        ],
      };
    });
    this.deps.log.info('distributor.mail', {
      caseId: record.id,
      messageId,
      authenticated: verdict.ok,
      answers: parsed.answers.map((a) => a.answer.kind),
    });
    const accepted = parsed.answers.some((a) => a.answer.kind === 'accept');
    const detailsSent =
      verdict.ok &&
      accepted &&
      recipientOf(updated.recipients, distributor.email)?.consent?.state === 'accepted' &&
      (await this.deps.notices.afterAcceptance(updated.id, distributor));
    await this.tellMaintainers(updated, distributor, received, verdict, parsed, now, detailsSent);
    if (verdict.ok && (parsed.answers.length || parsed.errors.length))
      await this.confirmToDistributor(updated, distributor, received, parsed);
  }

  private async authenticate(
    distributor: Distributor,
    received: ReceivedMail,
    now: Date,
  ): Promise<Verdict> {
    const key = await this.deps.crypto.inspectKey(distributor.publicKeyArmored);
    const fingerprint = key.usable ? key.fingerprint : undefined;
    const signed = signedByKey(received.content, fingerprint);
    if (!signed.signature || signed.signedText === undefined || !fingerprint) {
      const unverified = received.content.signatures.find((s) => !s.verified);
      return {
        ok: false,
        reason: unverified
          ? `its signature does not verify with the registered key: ${unverified.problem ?? 'unknown problem'}`
          : 'not signed with its registered key',
      };
    }
    const stale = staleSignature(signed.signature, this.deps.config, now);
    if (stale) return { ok: false, reason: stale };
    if (signed.signature.signatureId) {
      const messageId = received.delivery.messageId;
      const owner = await this.deps.replays.claimSignature(signed.signature.signatureId, messageId);
      if (owner !== messageId)
        return { ok: false, reason: `this signed mail was already used (message ${owner})` };
    }
    return {
      ok: true,
      fingerprint,
      text: signed.signedText,
      unsignedBeside: signed.unsignedBeside,
    };
  }

  private async tellMaintainers(
    record: CaseRecord,
    distributor: Distributor,
    received: ReceivedMail,
    verdict: Verdict,
    parsed: ReturnType<typeof parseDistributorAnswers>,
    now: Date,
    detailsSent: boolean,
  ): Promise<void> {
    const consent = recipientOf(record.recipients, distributor.email)?.consent?.state;
    const consentLine =
      verdict.ok && parsed.answers.some((a) => ['accept', 'decline'].includes(a.answer.kind))
        ? [
            '',
            detailsSent
              ? `${distributor.name} accepted the embargo: the advance notice with the details went to it now.`
              : consent === 'accepted'
                ? `${distributor.name} accepted the embargo: the details go with the advance notice.`
                : `${distributor.name} is ${consent ?? 'not invited'}: no details are sent to it.`,
          ]
        : [];
    const who = `${distributor.name} <${distributor.email}>`;
    const body = verdict.ok ? parsed.body : ownText(received.content.text);
    const text = verdict.ok
      ? [
          `${who} answered on ${record.id}, signed with its registered key ${verdict.fingerprint}.`,
          '',
          ...(parsed.answers.length
            ? [
                'Recorded:',
                ...parsed.answers.flatMap((a) => answerLines(a, record, this.deps.config, now)),
              ]
            : ['No answer lines (/received, /status, /need-date, /accept, /decline).']),
          ...(parsed.errors.length
            ? [
                '',
                'Not understood (not recorded):',
                ...parsed.errors.map((e) => `  "${e.text}": ${e.reason}`),
              ]
            : []),
          ...(verdict.unsignedBeside
            ? ['', 'Text beside what the signature covers was ignored.']
            : []),
          ...consentLine,
        ]
      : [
          `Mail from ${distributor.name}'s address (${distributor.email}) on ${record.id} was NOT authenticated: ${verdict.reason}.`,
          'Anyone can write a From line: nothing in it was taken as an answer (no confirmation,',
          `status, date request or consent was recorded). Ask ${distributor.name} to sign with its registered key.`,
          ...(parsed.answers.length
            ? ['', 'It claims:', ...parsed.answers.map((a) => `  ${a.text}`)]
            : []),
        ];
    await this.deps.mailer.toMaintainers(
      record,
      () => ({
        key: `distributor-mail/${received.delivery.messageId}`,
        subject: caseSubject(
          record,
          verdict.ok
            ? `${distributor.name} answered`
            : `UNAUTHENTICATED mail from ${distributor.name}'s address`,
        ),
        text: [
          ...text,
          ...(body
            ? ['', `${verdict.ok ? 'Their text' : 'Its text, as received'}:`, '', body]
            : []),
          '',
          'Kept from the reporter and the other distributors.',
        ].join('\n'),
      }),
      `distributor-mail/${received.delivery.messageId}`,
    );
  }

  /** What was recorded, to the distributor alone and encrypted to its key. */
  private async confirmToDistributor(
    record: CaseRecord,
    distributor: Distributor,
    received: ReceivedMail,
    parsed: ReturnType<typeof parseDistributorAnswers>,
  ): Promise<void> {
    await this.deps.mailer.toOutsider(
      record,
      { address: distributor.email, name: distributor.name },
      {
        key: `distributor-answer/${received.delivery.messageId}`,
        subject: caseSubject(record, 'Your answer was recorded'),
        text: [
          `To ${distributor.name},`,
          '',
          ...(parsed.answers.length
            ? [
                `The ${this.deps.config.project} security team recorded:`,
                ...parsed.answers.map((a) => `  ${a.text}`),
              ]
            : ['Nothing was recorded.']),
          ...(parsed.errors.length
            ? [
                '',
                'Not understood:',
                ...parsed.errors.map((e) => `  "${e.text}": ${e.reason}`),
                '',
                'Answers:',
                ...distributorAnswerHelp.map((h) => `  ${h}`),
              ]
            : []),
          '',
          'A date request is a request: the maintainers decide, and you will be told the date.',
        ].join('\n'),
        encryptTo: distributor.publicKeyArmored,
      },
    );
  }
}

/** The recipient events a signed mail's answers and free text make. */
function answerEvents(
  answers: DistributorAnswerLine[],
  body: string,
  base: { at: string; round: string; authentication: Authentication },
): RecipientEvent[] {
  const { at, round, authentication } = base;
  const events: RecipientEvent[] = answers.map(({ answer }): RecipientEvent => {
    switch (answer.kind) {
      case 'received':
        return { kind: 'received', at, round, authentication };
      case 'accept':
        return { kind: 'accepted', at, authentication };
      case 'decline':
        return { kind: 'declined', at, authentication };
      case 'status':
        return {
          kind: 'status',
          at,
          round,
          value: answer.value,
          ...(answer.detail ? { detail: answer.detail } : {}),
          authentication,
        };
      case 'need-date':
        return {
          kind: 'date-request',
          at,
          round,
          date: answer.date,
          reason: answer.reason,
          authentication,
        };
    }
  });
  // Free text is for the maintainers; the case keeps only that there was some. First, so that
  // the last word of a mail with answer lines is its last answer.
  if (body || !events.length)
    events.unshift({
      kind: 'word',
      at,
      summary: body
        ? `free text (${countOf(body.split('\n').length, 'line')})`
        : 'a mail with no text',
      authentication,
    });
  return events;
}

/** An answer as the maintainers read it; a date request with the policy checks it would meet. */
function answerLines(
  line: DistributorAnswerLine,
  record: CaseRecord,
  config: EmbargoConfig,
  now: Date,
): string[] {
  const { answer } = line;
  if (answer.kind !== 'need-date') return [`  ${line.text}`];
  const warnings = disclosurePolicyWarnings({ ...record, disclosureAt: answer.date }, config, now);
  return [
    `  ${line.text}`,
    `    A request to move the date to ${formatUtc(answer.date)} (now ${record.disclosureAt ? formatUtc(record.disclosureAt) : 'not set'}); nothing was changed. /disclose sets a date.`,
    ...(warnings.length
      ? ['    Policy checks it fails:', ...warnings.map((w) => `      ! ${w}`)]
      : ['    Policy checks (maxEmbargoDays, weekends, notice period): it passes them.']),
  ];
}
