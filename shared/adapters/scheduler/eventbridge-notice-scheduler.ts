import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { NoticeScheduler, NoticeTrigger } from '../../notices/notice-scheduler';

export interface EventBridgeSchedulerSettings {
  groupName: string;
  targetArn: string;
  roleArn: string;
  deadLetterArn: string;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, EventBridge Scheduler's one-time expression. */
export function atExpression(at: Date): string {
  return `at(${at.toISOString().slice(0, 19)})`;
}

/**
 * One-time EventBridge schedules in a dedicated group, targeting the notices function with
 * retries and a dead-letter queue, deleted by the service after they run.
 */
export class EventBridgeNoticeScheduler implements NoticeScheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly settings: EventBridgeSchedulerSettings,
  ) {}

  async schedule(name: string, at: Date, trigger: NoticeTrigger): Promise<void> {
    const input = {
      Name: name,
      GroupName: this.settings.groupName,
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      Target: {
        Arn: this.settings.targetArn,
        RoleArn: this.settings.roleArn,
        Input: JSON.stringify(trigger),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 6 * 3600 },
        DeadLetterConfig: { Arn: this.settings.deadLetterArn },
      },
    };
    try {
      await this.client.send(new UpdateScheduleCommand(input));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      try {
        await this.client.send(new CreateScheduleCommand(input));
      } catch (createErr) {
        // Created meanwhile by a concurrent run: make it match this trigger.
        if (!(createErr instanceof ConflictException)) throw createErr;
        await this.client.send(new UpdateScheduleCommand(input));
      }
    }
  }

  async cancel(name: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: name, GroupName: this.settings.groupName }),
      );
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
}
