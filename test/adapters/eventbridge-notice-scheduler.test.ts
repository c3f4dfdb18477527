import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import {
  atExpression,
  EventBridgeNoticeScheduler,
} from '../../shared/adapters/scheduler/eventbridge-notice-scheduler';
import type { CaseId } from '../../shared/cases/case-id';

/**
 * EventBridge Scheduler has no local emulator, so this records the requests the adapter makes
 * and answers as the service does when a schedule does not exist.
 */
class RecordingSchedulerClient {
  readonly sent: object[] = [];
  private readonly existing = new Set<string>();
  async send(command: object): Promise<object> {
    this.sent.push(command);
    const input = (command as { input: { Name: string } }).input;
    const notFound = () =>
      new ResourceNotFoundException({
        Message: 'Schedule not found',
        message: 'Schedule not found',
        $metadata: {},
      });
    if (command instanceof UpdateScheduleCommand && !this.existing.has(input.Name))
      throw notFound();
    if (command instanceof DeleteScheduleCommand && !this.existing.delete(input.Name))
      throw notFound();
    if (command instanceof CreateScheduleCommand) this.existing.add(input.Name);
    return {};
  }
}

describe('EventBridge notice schedules', () => {
  const client = new RecordingSchedulerClient();
  const scheduler = new EventBridgeNoticeScheduler(client as unknown as SchedulerClient, {
    groupName: 'embargo-example',
    targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:notices',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:scheduler-dlq',
  });
  const trigger = {
    caseId: 'SEC-2026-0001' as CaseId,
    kind: 'advance' as const,
    disclosureAt: '2026-12-10T00:00:00.000Z',
  };

  it('writes one-time at() expressions in UTC', () => {
    expect(atExpression(new Date('2026-12-03T00:00:00.000Z'))).toBe('at(2026-12-03T00:00:00)');
  });

  it('creates a one-time schedule that deletes itself, with retries and a dead-letter queue', async () => {
    await scheduler.schedule('SEC-2026-0001-advance', new Date('2026-12-03T00:00:00Z'), trigger);
    const create = client.sent.find(
      (c) => c instanceof CreateScheduleCommand,
    ) as CreateScheduleCommand;
    expect(create.input).toMatchObject({
      Name: 'SEC-2026-0001-advance',
      GroupName: 'embargo-example',
      ScheduleExpression: 'at(2026-12-03T00:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: 'arn:aws:lambda:eu-west-1:123456789012:function:notices',
        DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:scheduler-dlq' },
        RetryPolicy: { MaximumRetryAttempts: 10 },
      },
    });
    expect(JSON.parse(create.input.Target!.Input!)).toEqual(trigger);
  });

  it('replaces an existing schedule in place, and cancels without failing when none is left', async () => {
    client.sent.length = 0;
    await scheduler.schedule('SEC-2026-0001-advance', new Date('2026-12-05T00:00:00Z'), trigger);
    expect(client.sent.map((c) => c.constructor.name)).toEqual(['UpdateScheduleCommand']);
    await scheduler.cancel('SEC-2026-0001-advance');
    await expect(scheduler.cancel('SEC-2026-0001-advance')).resolves.toBeUndefined();
  });
});
