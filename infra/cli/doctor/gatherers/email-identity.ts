import {
  GetEmailIdentityCommand,
  type GetEmailIdentityCommandOutput,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import { type DomainIdentityFacts, found, type Gathered, notGathered } from '../doctor-facts';
import { awsProblem } from './aws-problem';
import { errorName } from '../../../../shared/errors';

/** SES v2 GetEmailIdentity. */
export interface EmailIdentityApi {
  getEmailIdentity(
    identity: string,
  ): Promise<
    Pick<
      GetEmailIdentityCommandOutput,
      'VerifiedForSendingStatus' | 'VerificationStatus' | 'DkimAttributes'
    >
  >;
}

export const emailIdentityApi = (client: SESv2Client): EmailIdentityApi => ({
  getEmailIdentity: (identity) =>
    client.send(new GetEmailIdentityCommand({ EmailIdentity: identity })),
});

export async function gatherDomainIdentity(
  api: EmailIdentityApi,
  domain: string,
): Promise<Gathered<DomainIdentityFacts>> {
  try {
    const identity = await api.getEmailIdentity(domain);
    return found({
      exists: true,
      verifiedForSending: identity.VerifiedForSendingStatus === true,
      dkimStatus: identity.DkimAttributes?.Status,
      dkimSigning: identity.DkimAttributes?.SigningEnabled === true,
      dkimTokens: identity.DkimAttributes?.Tokens ?? [],
    });
  } catch (err) {
    if (errorName(err) === 'NotFoundException') return found({ exists: false });
    return notGathered(awsProblem('ses:GetEmailIdentity', err));
  }
}
