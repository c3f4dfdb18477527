import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

export function isConditionalCheckFailure(err: unknown): boolean {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err instanceof Error && err.name === 'ConditionalCheckFailedException')
  );
}
