import {
  GetAccountCommand,
  type GetAccountCommandOutput,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import { found, type Gathered, notGathered, type SesAccountFacts } from '../doctor-facts';
import { awsProblem } from './aws-problem';

/** SES v2 GetAccount. */
export interface SesAccountApi {
  getAccount(): Promise<
    Pick<
      GetAccountCommandOutput,
      'ProductionAccessEnabled' | 'SendingEnabled' | 'EnforcementStatus'
    >
  >;
}

export const sesAccountApi = (client: SESv2Client): SesAccountApi => ({
  getAccount: () => client.send(new GetAccountCommand({})),
});

export async function gatherSesAccount(api: SesAccountApi): Promise<Gathered<SesAccountFacts>> {
  try {
    const account = await api.getAccount();
    return found({
      productionAccess: account.ProductionAccessEnabled === true,
      sendingEnabled: account.SendingEnabled !== false,
      enforcementStatus: account.EnforcementStatus,
    });
  } catch (err) {
    return notGathered(awsProblem('ses:GetAccount', err));
  }
}
