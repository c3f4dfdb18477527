import type { DistributorDirectory } from '../../../../shared/notices/distributor-directory';
import { found, type Gathered, notGathered, type RecipientFacts } from '../doctor-facts';
import { awsProblem } from './aws-problem';
import type { EmailIdentityApi } from './email-identity';
import { errorName } from '../../../../shared/errors';

/** Who Embargo mails, by role: every one of them must be a verified identity in the sandbox. */
export interface Recipient {
  address: string;
  role: 'maintainer' | 'distributor' | 'announce list';
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/**
 * SES v2 GetEmailIdentity for each recipient's address, else its domain: in the sandbox SES
 * sends only to verified identities, addresses or domains
 * (https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html).
 */
export async function gatherRecipientIdentities(
  api: EmailIdentityApi,
  recipients: Recipient[],
): Promise<Gathered<RecipientFacts[]>> {
  const verified = new Map<string, Promise<boolean>>();
  const isVerified = (identity: string) => {
    let answer = verified.get(identity);
    if (!answer) {
      answer = api.getEmailIdentity(identity).then(
        // Either documented field says verified (GetEmailIdentity: VerifiedForSendingStatus,
        // VerificationStatus SUCCESS; moto fills in only the second).
        (i) => i.VerifiedForSendingStatus === true || i.VerificationStatus === 'SUCCESS',
        (err: unknown) => {
          if (errorName(err) === 'NotFoundException') return false;
          throw err;
        },
      );
      verified.set(identity, answer);
    }
    return answer;
  };
  try {
    return found(
      await Promise.all(
        recipients.map(async ({ address, role }) => {
          const lower = address.toLowerCase();
          if (await isVerified(lower)) return { address, role, verifiedAs: lower };
          const domain = domainOf(lower);
          if (await isVerified(domain)) return { address, role, verifiedAs: domain };
          return { address, role };
        }),
      ),
    );
  } catch (err) {
    return notGathered(awsProblem('ses:GetEmailIdentity', err));
  }
}

/** The distributors' addresses, from the deployed case table. */
export async function distributorRecipients(
  directory: DistributorDirectory,
): Promise<Gathered<Recipient[]>> {
  try {
    return found(
      (await directory.list()).map((d) => ({ address: d.email, role: 'distributor' as const })),
    );
  } catch (err) {
    return notGathered(awsProblem('dynamodb:Query (distributors)', err));
  }
}
