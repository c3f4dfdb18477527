import type { KeyInspection } from '../../../shared/pgp/mail-crypto';
import type { DeploySettings } from '../../aws/preflight/deploy-settings';

/** What one gatherer found, or why it could not look (access denied, no network, …). */
export type Gathered<T> = { ok: true; value: T } | { ok: false; problem: string };

export const found = <T>(value: T): Gathered<T> => ({ ok: true, value });
export const notGathered = <T>(problem: string): Gathered<T> => ({ ok: false, problem });

export interface StackFacts {
  /** CloudFormation's status (CREATE_COMPLETE, ROLLBACK_FAILED, …), if the stack exists. */
  status?: string;
  outputs: Record<string, string>;
}

export interface SesAccountFacts {
  productionAccess: boolean;
  sendingEnabled: boolean;
  /** HEALTHY, PROBATION or SHUTDOWN. */
  enforcementStatus?: string;
}

export type DomainIdentityFacts =
  | { exists: false }
  | {
      exists: true;
      verifiedForSending: boolean;
      /** SUCCESS, PENDING, FAILED, TEMPORARY_FAILURE or NOT_STARTED. */
      dkimStatus?: string;
      dkimSigning: boolean;
      dkimTokens: string[];
    };

/** One DKIM CNAME: its name, what SES expects, what DNS answered (or why not). */
export interface DkimRecordFacts {
  name: string;
  expected: string;
  found: Gathered<string[]>;
}

export interface MxFacts {
  exchanges: { exchange: string; priority: number }[];
}

export interface ActiveRuleSetFacts {
  /** Undefined when no rule set is active. */
  name?: string;
  rules: { name: string; enabled: boolean; recipients: string[] }[];
}

export interface LambdaSettingsFacts {
  /** The account's concurrent executions quota in the region. */
  concurrencyQuota: number;
  /** What is left unreserved now. */
  unreserved: number;
}

export type ProjectKeyFacts =
  { readable: false; problem: string } | { readable: true; fingerprint: string; userIds: string[] };

/** Someone Embargo mails, and the verified SES identity (address or domain) that covers them. */
export interface RecipientFacts {
  address: string;
  role: 'maintainer' | 'distributor' | 'announce list';
  /** Absent when neither the address nor its domain is verified. */
  verifiedAs?: string;
}

export interface MaintainerKeyFacts {
  name: string;
  email: string;
  /** Undefined when the configuration names no key for the maintainer. */
  inspection?: KeyInspection;
}

/**
 * Everything `embargo doctor` looks at, gathered first (one gatherer per AWS API or DNS), so the
 * checks are pure functions of it. A fact is absent when it was not needed or not asked for.
 */
export interface DoctorFacts {
  region: string;
  stackName: string;
  securityAddress: string;
  domain: string;
  settings: DeploySettings;
  /** The rule set and rule name the deploy creates or uses. */
  expectedRule: { ruleSetName: string; ruleName: string };
  stack: Gathered<StackFacts | undefined>;
  sesAccount: Gathered<SesAccountFacts>;
  identity: Gathered<DomainIdentityFacts>;
  dkimRecords?: DkimRecordFacts[];
  mx: Gathered<MxFacts>;
  activeRuleSet: Gathered<ActiveRuleSetFacts>;
  lambda: Gathered<LambdaSettingsFacts>;
  /** Absent when no secret was found to read (stack not deployed, no --secret). */
  projectKey?: Gathered<ProjectKeyFacts>;
  maintainers: MaintainerKeyFacts[];
  /**
   * In the SES sandbox only: every address Embargo mails (maintainers, distributors, the
   * announce list) and whether SES may send to it. Absent with production access.
   */
  recipients?: Gathered<RecipientFacts[]>;
}
