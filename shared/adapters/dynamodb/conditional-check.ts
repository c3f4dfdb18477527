import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';

export function isConditionalCheckFailure(err: unknown): boolean {
  return (
    err instanceof ConditionalCheckFailedException ||
    (err instanceof Error && err.name === 'ConditionalCheckFailedException')
  );
}

/**
 * A transaction DynamoDB cancelled, having written nothing: a condition failed, or another
 * transaction held one of its items (TransactionConflict).
 */
export function isTransactionCancelled(err: unknown): boolean {
  return (
    err instanceof TransactionCanceledException ||
    (err instanceof Error && err.name === 'TransactionCanceledException')
  );
}
