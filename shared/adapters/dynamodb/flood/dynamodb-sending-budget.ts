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

/** Mails counted at once and not sent yet, in this process: the counts they were given. */
interface Lease {
  day: string;
  counts: number[];
}

/**
 * SENDBUDGET#<UTC day>: a conditional ADD per mail sent, or per `leaseSize` mails. A new report
 * sends an acknowledgment and a copy to each maintainer, so counting them together saves a
 * request per mail but the first (#24: what a report costs in AWS). Counts taken together are
 * leased only while the day stays below the copies' share with all of them, so each may go to
 * mail of either priority; near the limit every mail is counted alone, as before. Counts this
 * process leased and did not use (a container that stops) are lost, at most `leaseSize - 1` per
 * container and day: the budget errs towards sending less. The item expires a day after its day.
 */
export class DynamoDbSendingBudget implements SendingBudget {
  private readonly limits: Record<MailPriority, number>;
  private lease: Lease = { day: '', counts: [] };
  /** The day on which a lease was refused: near the limit, every mail is counted alone. */
  private singlesDay = '';

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    maxMailsPerDay: number,
    private readonly leaseSize = 1,
  ) {
    this.limits = budgetLimits(maxMailsPerDay);
  }

  async spend(priority: MailPriority, now: Date): Promise<BudgetAnswer> {
    const day = now.toISOString().slice(0, 10);
    if (this.lease.day === day && this.lease.counts.length)
      return { allowed: true, sentToday: this.lease.counts.shift()! };
    if (this.leaseSize > 1 && this.singlesDay !== day) {
      const counted = await this.add(day, this.leaseSize, this.limits.deferrable - this.leaseSize);
      if (counted !== undefined) {
        const first = counted - this.leaseSize + 1;
        this.lease = {
          day,
          counts: Array.from({ length: this.leaseSize - 1 }, (_, i) => first + 1 + i),
        };
        return { allowed: true, sentToday: first };
      }
      this.singlesDay = day;
    }
    const limit = this.limits[priority];
    const counted = await this.add(day, 1, limit - 1);
    return counted === undefined
      ? { allowed: false, sentToday: limit, limit }
      : { allowed: true, sentToday: counted };
  }

  /** Adds `n` to the day's count unless it is above `atMost`; the new count, or undefined. */
  private async add(day: string, n: number, atMost: number): Promise<number | undefined> {
    const dayEnd = Date.parse(`${day}T00:00:00.000Z`) + 24 * 3_600_000;
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: floodKeys.sendingDay(day),
          UpdateExpression: 'ADD n :n SET expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(n) OR n <= :atMost',
          ExpressionAttributeValues: {
            ':n': n,
            ':atMost': atMost,
            ':expires': expiresAtOf(new Date(dayEnd + KEPT_AFTER_MS)),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.n);
    } catch (err) {
      if (!isConditionalCheckFailure(err)) throw err;
      return undefined;
    }
  }
}
