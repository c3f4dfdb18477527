import type { InboundOutcome, TakenDelivery } from './inbound-ledger';
import type { MailDelivery } from '../mail/inbound-mail';
import { whileHeld, type WorkHold } from '../time/invocation-hold';
import type { IntakeDependencies } from './intake-dependencies';
import { isMaintainerSigned } from './admission/maintainer-exemption';
import {
  quarantineMissing,
  quarantineOversized,
  quarantineUnstorable,
} from './steps/quarantine-oversized';
import { recordComplaint } from './steps/record-complaint';
import { RawMailMissingError, UnstorableValueError } from '../errors';
import { classify } from './steps/classify';
import { admit, type Arrival } from './steps/admit';
import { admitAndDeduplicate } from './steps/admit-and-deduplicate';
import { readMail } from './steps/read-mail';
import { route } from './steps/route';
import { ledgerEntry, recordOutcome } from './steps/record-outcome';

/** How long an invocation holds a delivery when its invoker sets no deadline: intake's timeout. */
const DEFAULT_HOLD_MS = 60_000;

export interface ReceiveOptions {
  /** When the invoker stops this invocation (Lambda's timeout); it holds the delivery until then. */
  deadline?: Date;
}

/**
 * Turns one delivered message into a case, a message on a case, or a recorded rejection.
 * Every step is idempotent, so the whole operation can be re-run after a failure at any point.
 */
export class IntakeService {
  constructor(private readonly deps: IntakeDependencies) {}

  async receive(delivery: MailDelivery, options: ReceiveOptions = {}): Promise<InboundOutcome> {
    const { ledger, log, clock } = this.deps;
    const { messageId } = delivery;
    // Recording the outcome ends the hold; only a failure lets go of it early.
    const hold: WorkHold<TakenDelivery> = {
      take: (holder, now, until) => ledger.take(messageId, holder, now, until),
      release: (holder) => ledger.release(messageId, holder),
    };
    const timing = { now: clock.now(), deadline: options.deadline, defaultMs: DEFAULT_HOLD_MS };
    return whileHeld(hold, timing, async (taken) => {
      if (!taken.outcome) return this.handleOrQuarantine(delivery, taken);
      log.info('intake.already-processed', { messageId, outcome: taken.outcome.kind });
      return taken.outcome;
    });
  }

  /**
   * A value no retry can store, or raw mail that is not there, ends as a quarantine now; any
   * other failure is retried.
   */
  private async handleOrQuarantine(delivery: MailDelivery, taken: TakenDelivery) {
    try {
      return await this.handle(delivery, taken);
    } catch (err) {
      if (err instanceof UnstorableValueError)
        return quarantineUnstorable(this.deps, delivery, err);
      if (err instanceof RawMailMissingError) return quarantineMissing(this.deps, delivery, err);
      throw err;
    }
  }

  /** The steps, in order; each returns an outcome when the delivery ends there. */
  private async handle(delivery: MailDelivery, taken: TakenDelivery): Promise<InboundOutcome> {
    const deps = this.deps;
    const raw = await deps.rawMail.get(delivery.messageId);
    const quarantined = await quarantineOversized(deps, delivery, raw);
    if (quarantined) return quarantined;

    const mail = await deps.parse(raw);
    const entry = ledgerEntry(delivery, mail);
    const finish = (outcome: InboundOutcome) => recordOutcome(deps, entry, outcome);
    const { rejected, upstream } = classify(deps, mail, delivery);
    if (rejected?.reason === 'feedback-report') await recordComplaint(deps, raw, mail, delivery);
    if (rejected) return finish(rejected);

    const match = await deps.router.resolve(delivery, mail);
    const arrival: Arrival = {
      delivery,
      mail,
      sender: entry.sender,
      sizeBytes: raw.length,
      category: match?.role === 'reporter' ? 'follow-up' : 'report',
    };
    // Counted before anything is decrypted or sent; a maintainer's address after its signature.
    const afterSignature = deps.flood.admission.isMaintainerAddress(entry.sender);
    const refused = await admitAndDeduplicate(deps, arrival, afterSignature);
    if (refused) return finish(refused);

    const received = await readMail(deps, { raw, mail, delivery, entry, match });
    const unsigned = afterSignature && !(await isMaintainerSigned(deps, received));
    const lateFlood = unsigned ? await admit(deps, arrival) : undefined;
    if (lateFlood) return finish(lateFlood);

    const { reservedCaseId } = taken;
    return finish(await route(deps, { received, match, reservedCaseId, upstream }));
  }
}
