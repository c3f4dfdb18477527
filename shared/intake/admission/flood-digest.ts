import { countOf } from '../../mail/count-text';
import type { EmbargoConfig } from '../../config/embargo-config';
import type { Logger } from '../../logging/logger';
import type { CaseMailer } from '../../outbound/case-mailer';
import type { MailDispatcher } from '../../outbound/mail-dispatcher';
import type { Clock } from '../../time/clock';
import { formatUtc } from '../../time/utc-text';
import { type CollectedMail, type FloodCollection, hourOf } from './flood-collection';

const HOUR_MS = 3_600_000;
/** Complete hours looked at on each run, so that a missed run is caught up on the next. */
const LOOKBACK_HOURS = 3;
/** An hour is digested this long after it ends, so that mail still being handled is in it. */
const GRACE_MS = 5 * 60_000;
/** A digest lists at most this many messages; the CLI lists them all. */
const LISTED = 500;

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The digest's text: who sent how much, then each message with how to fetch it. */
export function floodDigestText(hourStart: Date, mails: CollectedMail[]): string {
  const end = new Date(hourStart.getTime() + HOUR_MS).toISOString();
  const bySender = new Map<string, number>();
  for (const m of mails) bySender.set(m.sender, (bySender.get(m.sender) ?? 0) + 1);
  const senders = [...bySender].sort((a, b) => b[1] - a[1]);
  const listed = mails.slice(0, LISTED);
  return [
    `Between ${formatUtc(hourStart.toISOString())} and ${formatUtc(end)}, ${countOf(mails.length, 'message')}`,
    `from ${countOf(senders.length, 'sender')} were kept unread: each sender (or their domain) was over`,
    'its daily limit. None was acknowledged or copied to you; each sender was told once that',
    'their mail is collected and will be read.',
    '',
    'By sender:',
    ...senders.map(([sender, n]) => `  ${sender}  ${n}`),
    '',
    'Messages (received, message id, sender, subject, size). Fetch one with',
    '`npx embargo raw <message id> --out <file>`; `npx embargo inbound` lists them all.',
    ...listed.map(
      (m) =>
        `  ${m.receivedAt.slice(11, 19)}  ${m.messageId}  ${m.sender}  ${JSON.stringify(m.subject)}  ${sizeText(m.sizeBytes)}`,
    ),
    ...(mails.length > listed.length ? [`  … and ${mails.length - listed.length} more`] : []),
  ].join('\n');
}

/**
 * Instead of a copy per message, one digest an hour to each maintainer (encrypted to their
 * key) while mail is being collected as flood. Run by the periodic watch; each hour's digest
 * is sent once, by its idempotency key, however often the watch runs.
 */
export class FloodDigest {
  constructor(
    private readonly deps: {
      config: EmbargoConfig;
      collection: FloodCollection;
      mailer: CaseMailer;
      dispatcher: MailDispatcher;
      clock: Clock;
      log: Logger;
    },
  ) {}

  async run(): Promise<{ digests: number }> {
    const { collection, clock, log } = this.deps;
    const thisHour = new Date(
      `${hourOf(new Date(clock.now().getTime() - GRACE_MS))}:00:00.000Z`,
    ).getTime();
    let digests = 0;
    for (let back = LOOKBACK_HOURS; back >= 1; back--) {
      const hourStart = new Date(thisHour - back * HOUR_MS);
      if (await collection.isDigested(hourStart)) continue;
      const mails = await collection.inHour(hourStart);
      if (mails.length) {
        digests += await this.send(hourStart, mails);
        log.warn('flood.digest', { hour: hourOf(hourStart), messages: mails.length });
      }
      await collection.markDigested(hourStart);
    }
    return { digests };
  }

  private async send(hourStart: Date, mails: CollectedMail[]): Promise<number> {
    const { config, mailer, dispatcher } = this.deps;
    const { keyed } = await mailer.maintainersByKey();
    const text = floodDigestText(hourStart, mails);
    for (const maintainer of keyed) {
      await dispatcher.dispatch({
        idempotencyKey: `flood-digest/${hourOf(hourStart)}/${maintainer.email.toLowerCase()}`,
        from: { address: config.securityAddress, name: `${config.project} security team` },
        to: { address: maintainer.email, name: maintainer.name },
        subject: `Flood digest for ${formatUtc(hourStart.toISOString())}`,
        text,
        autoSubmitted: 'auto-generated',
        encryptTo: maintainer.publicKeyArmored,
      });
    }
    return keyed.length;
  }
}
