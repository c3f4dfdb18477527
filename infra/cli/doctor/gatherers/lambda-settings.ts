import {
  GetAccountSettingsCommand,
  type GetAccountSettingsCommandOutput,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { found, type Gathered, type LambdaSettingsFacts, notGathered } from '../doctor-facts';
import { awsProblem } from './aws-problem';

/** Lambda GetAccountSettings. */
export interface LambdaSettingsApi {
  getAccountSettings(): Promise<Pick<GetAccountSettingsCommandOutput, 'AccountLimit'>>;
}

export const lambdaSettingsApi = (client: LambdaClient): LambdaSettingsApi => ({
  getAccountSettings: () => client.send(new GetAccountSettingsCommand({})),
});

export async function gatherLambdaSettings(
  api: LambdaSettingsApi,
): Promise<Gathered<LambdaSettingsFacts>> {
  try {
    const limit = (await api.getAccountSettings()).AccountLimit;
    if (
      limit?.ConcurrentExecutions === undefined ||
      limit.UnreservedConcurrentExecutions === undefined
    ) {
      return notGathered('lambda:GetAccountSettings answered without the concurrency limits.');
    }
    return found({
      concurrencyQuota: limit.ConcurrentExecutions,
      unreserved: limit.UnreservedConcurrentExecutions,
    });
  } catch (err) {
    return notGathered(awsProblem('lambda:GetAccountSettings', err));
  }
}
