import type { EmbargoConfig } from '../../config/embargo-config';
import { splitAddress } from '../../addresses/security-address';
import type { AdmissionCounters, CountRequest } from './admission-counters';

/** Which limit refused a message: the sender's own, or the one shared by their domain. */
export type AdmissionScope = 'address' | 'domain';

/** New reports and a reporter's follow-ups on their own case are counted apart. */
export type AdmissionCategory = 'report' | 'follow-up';

export type AdmissionVerdict =
  | { admitted: true }
  | {
      admitted: false;
      scope: AdmissionScope;
      category: AdmissionCategory;
      /** The counter that refused it: names the sender (or domain) and what was counted. */
      counter: string;
      windowEnd: string;
      /** This delivery is the first refused in the window: it gets the one notice. */
      notify: boolean;
    };

/** The limits apply over a rolling day, from the first message counted. */
export const ADMISSION_WINDOW_MS = 24 * 3_600_000;

/**
 * The cheap check before a message is read in full: one conditional counter update for the
 * sender's address and one for their domain, before any decryption, and before any mail is
 * sent for it. Mail from a maintainer's address is not counted here but after its signature
 * is checked (see maintainer-exemption.ts): a maintainer's signed mail is never throttled.
 */
export class Admission {
  constructor(private readonly deps: { config: EmbargoConfig; counters: AdmissionCounters }) {}

  isMaintainerAddress(sender: string): boolean {
    const address = sender.toLowerCase();
    return this.deps.config.maintainers.some((m) => m.email.toLowerCase() === address);
  }

  /** The counts one delivery takes: its address's, then its domain's. */
  private countsOf(sender: string, category: AdmissionCategory, messageId: string, now: Date) {
    const { flood } = this.deps.config;
    const address = sender.toLowerCase();
    const domain = splitAddress(address)?.domain;
    const limits =
      category === 'report'
        ? { address: flood.reportsPerAddress, domain: flood.reportsPerDomain }
        : { address: flood.followUpsPerAddress, domain: flood.followUpsPerDomain };
    const scopes: [AdmissionScope, string][] = [['address', address]];
    if (domain) scopes.push(['domain', domain]);
    return scopes.map(([scope, value]): { scope: AdmissionScope; request: CountRequest } => ({
      scope,
      request: {
        counter: `${category}#${scope}#${value}`,
        messageId,
        limit: limits[scope],
        now,
        windowMs: ADMISSION_WINDOW_MS,
      },
    }));
  }

  async admit(
    sender: string,
    category: AdmissionCategory,
    messageId: string,
    now: Date,
  ): Promise<AdmissionVerdict> {
    for (const { scope, request } of this.countsOf(sender, category, messageId, now)) {
      const result = await this.deps.counters.count(request);
      if (!result.admitted)
        return {
          admitted: false,
          scope,
          category,
          counter: request.counter,
          windowEnd: result.windowEnd,
          notify: result.notify,
        };
    }
    return { admitted: true };
  }

  /**
   * Admits the delivery and claims its fingerprint in one write, when both are the common case
   * (every counter under its limit, the fingerprint free). False, with nothing written,
   * otherwise: then `admit` and the ledger's claim decide, one write at a time.
   */
  admitAndClaim(
    sender: string,
    category: AdmissionCategory,
    claim: { fingerprint: string; messageId: string },
    now: Date,
  ): Promise<boolean> {
    const counts = this.countsOf(sender, category, claim.messageId, now);
    return this.deps.counters.countAllAndClaim(
      counts.map((c) => c.request),
      claim,
    );
  }
}
