import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { found, type Gathered, notGathered, type StackFacts } from '../doctor-facts';
import { awsProblem } from './aws-problem';
import { errorMessage, errorName } from '../../../../shared/errors';

/** CloudFormation DescribeStacks, as the doctor uses it. */
export interface StackApi {
  describeStack(stackName: string): Promise<Stack | undefined>;
}

export const stackApi = (client: CloudFormationClient): StackApi => ({
  describeStack: async (stackName) =>
    (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0],
});

/** The stack's status and outputs; undefined when no stack of that name exists. */
export async function gatherStack(
  api: StackApi,
  stackName: string,
): Promise<Gathered<StackFacts | undefined>> {
  try {
    const stack = await api.describeStack(stackName);
    if (!stack) return found(undefined);
    const outputs: Record<string, string> = {};
    for (const o of stack.Outputs ?? [])
      if (o.OutputKey && o.OutputValue) outputs[o.OutputKey] = o.OutputValue;
    return found({ status: stack.StackStatus, outputs });
  } catch (err) {
    // CloudFormation answers a stack that does not exist with a ValidationError.
    if (errorName(err) === 'ValidationError' && /does not exist/.test(errorMessage(err))) {
      return found(undefined);
    }
    return notGathered(awsProblem('cloudformation:DescribeStacks', err));
  }
}
