import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  budgetLimits,
  type BudgetAnswer,
  type MailPriority,
  type SendingBudget,
} from '../../../outbound/sending-budget';
import { isConditionalCheckFailure } from '../conditional-check';
import { expiresAtOf } from '../table-layout';
import { floodKeys, KEPT_AFTER_MS } from './flood-keys';

/** SENDBUDGET#<UTC day>: one conditional ADD per mail sent; it expires a day after its day. */
export class DynamoDbSendingBudget implements SendingBudget {
  private readonly limits: Record<MailPriority, number>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    maxMailsPerDay: number,
  ) {
    this.limits = budgetLimits(maxMailsPerDay);
  }

  async spend(priority: MailPriority, now: Date): Promise<BudgetAnswer> {
    const limit = this.limits[priority];
    const day = now.toISOString().slice(0, 10);
    const dayEnd = Date.parse(`${day}T00:00:00.000Z`) + 24 * 3_600_000;
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: floodKeys.sendingDay(day),
          UpdateExpression: 'ADD n :one SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': limit,
            ':expires': expiresAtOf(new Date(dayEnd + KEPT_AFTER_MS)),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return { allowed: true, sentToday: Number(result.Attributes?.n) };
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      return { allowed: false, sentToday: limit, limit };
    }
  }
}
