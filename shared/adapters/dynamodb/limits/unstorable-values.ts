import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UnstorableValueError, errorMessage } from '../../../errors';

/**
 * Turns DynamoDB's ValidationException into UnstorableValueError for every request of the
 * client. DynamoDB answers a key over its size limit or an item over 400 KB with it (HTTP 400;
 * "Error handling with DynamoDB", DynamoDB developer guide: "the request is not valid … do not
 * retry"), so such a failure is an outcome for intake to record, not a reason to retry.
 */
export function markUnstorableValues(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        if ((err as { name?: string }).name === 'ValidationException')
          throw new UnstorableValueError(String(context.commandName), errorMessage(err), err);
        throw err;
      }
    },
    { step: 'initialize', name: 'embargoUnstorableValues', override: true },
  );
  return client;
}
