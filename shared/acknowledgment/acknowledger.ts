import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../cases/case-repository';
import type { Clock } from '../time/clock';
import type { MailCrypto } from '../pgp/mail-crypto';
import { buildAcknowledgment } from './acknowledgment';
import { reporterReachable, type CaseMailer } from '../outbound/case-mailer';
import type { CaseRecord, CaseUpdate } from '../cases/case-record';
import { appendEachOnce, appendOnce } from '../cases/case-updates';
import type { DispatchOptions } from '../outbound/mail-dispatcher';

/** Sends a case's acknowledgment once, and records that it went out. */
export class Acknowledger {
  constructor(
    private readonly deps: {
      config: EmbargoConfig;
      cases: CaseRepository;
      mailer: CaseMailer;
      crypto: MailCrypto;
      clock: Clock;
    },
  ) {}

  /**
   * Sends the acknowledgment unless the case records one or holds it, and returns the change
   * that records it, for the caller to write with its own changes to the case (one write, not
   * two).
   */
  async send(record: CaseRecord, options: DispatchOptions = {}): Promise<CaseUpdate | undefined> {
    const { mailer, clock, config, crypto } = this.deps;
    if (record.acknowledgedAt || record.ackHeld || record.kind === 'upstream') return undefined;
    const sent = await mailer.toReporter(
      record,
      buildAcknowledgment(record, config, await crypto.projectFingerprint()),
      options,
    );
    if (!sent) return undefined;
    const at = clock.now().toISOString();
    return {
      events: [
        {
          id: 'acknowledged',
          at,
          type: 'acknowledged',
          actor: config.securityAddress,
          summary: `Acknowledgment sent to ${record.reporter.address}${record.reporterKey ? ', encrypted to the reporter key' : ''}`,
          authentication: { method: 'system' },
        },
      ],
      fields: { acknowledgedAt: at },
    };
  }

  /**
   * Sends the acknowledgment unless the case records one, and records it on the case; or
   * records, once, that there is no address to send it to (a refused From header).
   */
  async acknowledge(record: CaseRecord): Promise<CaseRecord> {
    const change = await this.send(record);
    if (change) return this.deps.cases.update(record, appendEachOnce(change));
    if (record.acknowledgedAt || record.ackHeld || reporterReachable(record)) return record;
    return this.deps.cases.update(
      record,
      appendOnce({
        id: 'ack-unsendable',
        at: this.deps.clock.now().toISOString(),
        type: 'ack-held',
        actor: this.deps.config.securityAddress,
        summary: `Acknowledgment not sent: ${record.reporterAddressProblem ?? 'the reporter address is not a mailbox'}; there is no address to send it to`,
        authentication: { method: 'system' },
      }),
    );
  }
}
