import {
  DescribeActiveReceiptRuleSetCommand,
  type DescribeActiveReceiptRuleSetCommandOutput,
  type SESClient,
} from '@aws-sdk/client-ses';
import { type ActiveRuleSetFacts, found, type Gathered, notGathered } from '../doctor-facts';
import { awsProblem } from './aws-problem';

/** SES (v1) DescribeActiveReceiptRuleSet: receipt rules have no v2 API. */
export interface ReceiptRulesApi {
  describeActiveReceiptRuleSet(): Promise<
    Pick<DescribeActiveReceiptRuleSetCommandOutput, 'Metadata' | 'Rules'>
  >;
}

export const receiptRulesApi = (client: SESClient): ReceiptRulesApi => ({
  describeActiveReceiptRuleSet: () => client.send(new DescribeActiveReceiptRuleSetCommand({})),
});

export async function gatherActiveRuleSet(
  api: ReceiptRulesApi,
): Promise<Gathered<ActiveRuleSetFacts>> {
  try {
    const active = await api.describeActiveReceiptRuleSet();
    // With no active set, SES answers with neither metadata nor rules.
    return found({
      name: active.Metadata?.Name,
      rules: (active.Rules ?? []).map((rule) => ({
        name: rule.Name ?? '',
        enabled: rule.Enabled === true,
        recipients: rule.Recipients ?? [],
      })),
    });
  } catch (err) {
    return notGathered(awsProblem('ses:DescribeActiveReceiptRuleSet', err));
  }
}
