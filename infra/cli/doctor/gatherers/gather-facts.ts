import type { EmbargoConfig } from '../../../../shared/config/embargo-config';
import type { MailCrypto } from '../../../../shared/pgp/mail-crypto';
import type { ProjectKeySource } from '../../../../shared/pgp/project-key-source';
import type { DeploySettings } from '../../../aws/preflight/deploy-settings';
import { domainOf, stackNameFor } from '../../../aws/names';
import type { DoctorFacts } from '../doctor-facts';
import { inboundSmtpHostFor } from '../../../aws/preflight/ses-receiving-regions';
import { gatherDkimRecords, gatherMx, type DnsApi } from './dns-records';
import { gatherDomainIdentity, type EmailIdentityApi } from './email-identity';
import { gatherMaintainerKeys, gatherProjectKey } from './key-facts';
import { gatherLambdaSettings, type LambdaSettingsApi } from './lambda-settings';
import { gatherActiveRuleSet, type ReceiptRulesApi } from './receipt-rules';
import { gatherSesAccount, type SesAccountApi } from './ses-account';
import type { DistributorDirectory } from '../../../../shared/notices/distributor-directory';
import {
  distributorRecipients,
  gatherRecipientIdentities,
  type Recipient,
} from './recipient-identities';
import { gatherStack, type StackApi } from './stack';

/** What the doctor reads the world through: one small port per AWS API, DNS and the key. */
export interface DoctorPorts {
  stack: StackApi;
  sesAccount: SesAccountApi;
  identity: EmailIdentityApi;
  receiptRules: ReceiptRulesApi;
  lambda: LambdaSettingsApi;
  dns: DnsApi;
  /** The project key secret, by ARN (Secrets Manager in AWS). */
  projectKey: (secretArn: string) => ProjectKeySource;
  crypto: Pick<MailCrypto, 'inspectKey'>;
  /** The distributor list in the deployed case table (DynamoDB in AWS), by table name. */
  distributors: (tableName: string) => DistributorDirectory;
}

export interface DoctorTarget {
  config: EmbargoConfig;
  region: string;
  settings: DeploySettings;
  /** The rule set and rule the deploy creates or uses (see infra/aws/ses/intake-receipt-rule.ts). */
  expectedRule: { ruleSetName: string; ruleName: string };
  /** The project key secret, if given; otherwise the stack's ProjectKeySecretArn output. */
  secretArn?: string;
}

/** Gathers every fact, the independent ones at once; a failed lookup becomes a fact too. */
export async function gatherFacts(ports: DoctorPorts, target: DoctorTarget): Promise<DoctorFacts> {
  const { config } = target;
  const domain = domainOf(config.securityAddress);
  const stackName = stackNameFor(config.project);
  const [stack, sesAccount, identity, mx, activeRuleSet, lambda, maintainers] = await Promise.all([
    gatherStack(ports.stack, stackName),
    gatherSesAccount(ports.sesAccount),
    gatherDomainIdentity(ports.identity, domain),
    gatherMx(ports.dns, domain, inboundSmtpHostFor(target.region)),
    gatherActiveRuleSet(ports.receiptRules),
    gatherLambdaSettings(ports.lambda),
    gatherMaintainerKeys(config.maintainers, ports.crypto),
  ]);
  const tokens = identity.ok && identity.value.exists ? identity.value.dkimTokens : [];
  const secretArn =
    target.secretArn ?? (stack.ok ? stack.value?.outputs.ProjectKeySecretArn : undefined);
  const tableName = stack.ok ? stack.value?.outputs.TableName : undefined;
  const inSandbox = sesAccount.ok && !sesAccount.value.productionAccess;
  const [dkimRecords, projectKey, recipients] = await Promise.all([
    tokens.length ? gatherDkimRecords(ports.dns, domain, tokens) : Promise.resolve(undefined),
    secretArn ? gatherProjectKey(ports.projectKey(secretArn)) : Promise.resolve(undefined),
    inSandbox ? gatherRecipients(ports, config, tableName) : Promise.resolve(undefined),
  ]);
  return {
    region: target.region,
    stackName,
    securityAddress: config.securityAddress,
    domain,
    settings: target.settings,
    expectedRule: target.expectedRule,
    stack,
    sesAccount,
    identity,
    dkimRecords,
    mx,
    activeRuleSet,
    lambda,
    projectKey,
    maintainers,
    ...(recipients ? { recipients } : {}),
  };
}

/** Everyone Embargo mails besides reporters: maintainers, distributors, the announce list. */
async function gatherRecipients(
  ports: DoctorPorts,
  config: DoctorTarget['config'],
  tableName: string | undefined,
) {
  const recipients: Recipient[] = [
    ...config.maintainers.map((m) => ({ address: m.email, role: 'maintainer' as const })),
    { address: config.announceAddress, role: 'announce list' },
  ];
  if (tableName) {
    const distributors = await distributorRecipients(ports.distributors(tableName));
    if (!distributors.ok) return distributors;
    recipients.push(...distributors.value);
  }
  return gatherRecipientIdentities(ports.identity, recipients);
}
