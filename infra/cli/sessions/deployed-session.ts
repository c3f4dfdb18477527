import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsServices } from '../../../functions/aws-runtime';
import { loadConfigFile } from '../../../shared/config/load-config';
import { EmbargoError, errorMessage } from '../../../shared/errors';
import type { EmbargoServices } from '../../../shared/wiring/embargo-services';

/** Whether the CLI should work on a deployed stack rather than on local mode's data. */
export function targetsDeployedStack(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.EMBARGO_AWS_FUNCTION || env.EMBARGO_TABLE_NAME);
}

/**
 * The deployed stack's settings: those of its intake function (named by EMBARGO_AWS_FUNCTION,
 * the stack output IntakeFunctionName), or EMBARGO_* variables already set. The configuration
 * is the embargo.config.json the stack was deployed from.
 */
async function deployedEnvironment(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const config = JSON.stringify(loadConfigFile());
  if (!env.EMBARGO_AWS_FUNCTION) return { ...env, EMBARGO_CONFIG_JSON: config };
  try {
    const fn = await new LambdaClient({}).send(
      new GetFunctionConfigurationCommand({ FunctionName: env.EMBARGO_AWS_FUNCTION }),
    );
    return { ...env, ...fn.Environment?.Variables, EMBARGO_CONFIG_JSON: config };
  } catch (err) {
    throw new EmbargoError(
      'AWS_UNREACHABLE',
      `Could not read the settings of ${env.EMBARGO_AWS_FUNCTION} (${errorMessage(err)}).`,
      'Check your AWS credentials and region, and that EMBARGO_AWS_FUNCTION is the IntakeFunctionName output of the stack.',
      { cause: err },
    );
  }
}

export async function withDeployedServices<T>(
  work: (services: EmbargoServices) => Promise<T>,
): Promise<T> {
  const env = await deployedEnvironment(process.env);
  // The Lambda code reads its configuration from process.env; the CLI hands it the same.
  process.env.EMBARGO_CONFIG_JSON = env.EMBARGO_CONFIG_JSON;
  return work(awsServices(env));
}
