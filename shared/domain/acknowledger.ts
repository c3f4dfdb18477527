import type { EmbargoConfig } from '../config/embargo-config';
import type { CaseRepository } from '../ports/case-repository';
import type { Clock } from '../ports/clock';
import type { MailCrypto } from '../ports/mail-crypto';
import { buildAcknowledgment } from './acknowledgment';
import type { CaseMailer } from './case-mailer';
import type { CaseRecord } from './case-record';
import { appendOnce } from './case-updates';

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

  async acknowledge(record: CaseRecord): Promise<void> {
    const { mailer, cases, clock, config, crypto } = this.deps;
    if (record.acknowledgedAt || record.kind === 'upstream') return;
    await mailer.toReporter(
      record,
      buildAcknowledgment(record, config, await crypto.projectFingerprint()),
    );
    const at = clock.now().toISOString();
    await cases.update(
      record.id,
      appendOnce(
        {
          id: 'acknowledged',
          at,
          type: 'acknowledged',
          actor: config.securityAddress,
          summary: `Acknowledgment sent to ${record.reporter.address}${record.reporterKey ? ', encrypted to the reporter key' : ''}`,
          authentication: { method: 'system' },
        },
        { acknowledgedAt: at },
      ),
    );
  }
}
