import { Annotations, type Stack, Token } from 'aws-cdk-lib';
import { PreflightError } from './preflight-error';
import { notReceiving, sesReceivesMailIn } from './ses-receiving-regions';

/**
 * Refuses, at synth, a stack whose region has no SES email receiving: CloudFormation would
 * otherwise create the key, the buckets, the table and the secret (all kept on deletion) and
 * only then fail on the receipt rule set. The CDK CLI always knows the region when it deploys
 * (from the profile or AWS_REGION); an environment-agnostic synth only gets a warning.
 */
export function refuseRegionWithoutReceiving(stack: Stack): void {
  const region = stack.region;
  if (Token.isUnresolved(region)) {
    Annotations.of(stack).addWarningV2(
      'embargo:region-unchecked',
      'The region is unknown at synth, so it was not checked for SES email receiving; ' +
        'run `npx embargo doctor` with the deploy credentials before deploying.',
    );
    return;
  }
  if (!sesReceivesMailIn(region)) {
    const { reason, action } = notReceiving(region);
    throw new PreflightError('REGION_WITHOUT_RECEIVING', reason, action);
  }
}
