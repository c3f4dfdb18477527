import { awsNoticeServices, awsSdkClients, awsServices } from '../../functions/aws-runtime';
import { handler as noticesHandler } from '../../functions/notices';
import { GetScheduleCommand, ResourceNotFoundException } from '@aws-sdk/client-scheduler';
import { benchConfig, fixture } from '../../bench/support/bench-support';
import type { CaseId } from '../../shared/cases/case-id';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { scheduleName } from '../../shared/notices/embargo-timeline';
import type { NoticeKind } from '../../shared/notices/notice-scheduler';
import { AwsRequestCounter } from '../support/aws-request-counter';
import { startAwsTier, TIER, type AwsTier } from '../support/aws-tier';
import { caseRecord } from '../support/case-builder';
import { motoSkipReason } from '../support/moto-server';

/**
 * Notice schedules in EventBridge Scheduler (moto_server), fired the way AWS fires them: the
 * schedule's target Input is the notices function's event
 * (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Target.html, "Input").
 */
const skip = motoSkipReason();
const describeInAws = skip ? describe.skip : describe;
if (skip) console.warn(skip);

const DAY = 86_400_000;
const config: EmbargoConfig = { ...benchConfig(), securityAddress: 'security@example.org' };

describeInAws('notices in AWS (moto_server)', () => {
  let tier: AwsTier;
  const counter = new AwsRequestCounter();
  const id = 'SEC-2026-0042' as CaseId;
  // Whole seconds: at() has no fractions.
  const disclosureAt = new Date(Math.floor((Date.now() + 10 * DAY) / 1000) * 1000).toISOString();

  beforeAll(async () => {
    tier = await startAwsTier(config, fixture('project-secret.asc'));
  });
  afterAll(() => tier?.stop());

  const getSchedule = (kind: NoticeKind) =>
    tier.clients.scheduler.send(
      new GetScheduleCommand({ Name: scheduleName(id, kind), GroupName: TIER.scheduleGroup }),
    );

  it('creates one-time schedules in UTC for a case with a date, each targeting the notices function', async () => {
    const services = awsServices();
    await services.cases.createIfAbsent(
      caseRecord(id, { advisory: 'The parser overflows.', disclosureAt }),
    );
    await services.planner.sync((await services.cases.get(id))!);

    const schedule = await getSchedule('disclosure');
    // Scheduler's name limit is 64 characters (API_CreateSchedule.html, "Name"); moto does not check.
    expect(scheduleName(id, 'disclosure').length).toBeLessThanOrEqual(64);
    expect(schedule.ScheduleExpression).toBe(`at(${disclosureAt.slice(0, 19)})`);
    expect(schedule.ScheduleExpressionTimezone).toBe('UTC');
    expect(schedule.ActionAfterCompletion).toBe('DELETE');
    expect(schedule.Target?.Arn).toBe(TIER.noticesFunctionArn);
    expect(schedule.Target?.RoleArn).toBe(TIER.schedulerRoleArn);
    expect(schedule.Target?.DeadLetterConfig?.Arn).toBe(TIER.schedulerDlqArn);
    expect(JSON.parse(schedule.Target!.Input!)).toEqual({
      caseId: id,
      kind: 'disclosure',
      disclosureAt,
    });
    expect((await getSchedule('advance')).Target?.Input).toContain('"advance"');
    // The recipients' follow-up: the reminder 2 days after the notice, the summary a day before D.
    const advanceAt = Date.parse(disclosureAt) - config.advanceNoticeDays * DAY;
    const reminder = await getSchedule('distributor-reminder');
    expect(scheduleName(id, 'distributor-reminder').length).toBeLessThanOrEqual(64);
    expect(reminder.ScheduleExpression).toBe(
      `at(${new Date(advanceAt + 2 * DAY).toISOString().slice(0, 19)})`,
    );
    expect(reminder.Target?.Input).toContain('"distributor-reminder"');
    const summary = await getSchedule('pre-disclosure');
    expect(summary.ScheduleExpression).toBe(
      `at(${new Date(Date.parse(disclosureAt) - DAY).toISOString().slice(0, 19)})`,
    );
  });

  it('a new date updates the schedules in place (no second schedule)', async () => {
    const services = awsServices();
    const later = new Date(Date.parse(disclosureAt) + 2 * DAY).toISOString();
    const record = await services.cases.update(id, () => ({
      fields: { disclosureAt: later },
      events: [],
    }));
    await services.planner.sync(record);
    const schedule = await getSchedule('disclosure');
    expect(schedule.ScheduleExpression).toBe(`at(${later.slice(0, 19)})`);
    expect(JSON.parse(schedule.Target!.Input!).disclosureAt).toBe(later);
  });

  it('the notices function, invoked with the schedule Input, sends the advance notice through SES', async () => {
    awsNoticeServices();
    counter.attach(awsSdkClients());
    const input = JSON.parse((await getSchedule('advance')).Target!.Input!) as unknown;
    const outcome = await noticesHandler(input, {
      getRemainingTimeInMillis: () => 60_000,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:embargo-example-notices',
    });
    expect(outcome).toMatchObject({ kind: 'sent', notice: 'advance' });
    // No distributors are registered: the reporter and the maintainers hear of it, through SES.
    expect(counter.sent.map((m) => m.recipient).sort()).toEqual(
      ['alice@example.net', ...config.maintainers.map((m) => m.email)].sort(),
    );
  });

  it('closing the case deletes its schedules', async () => {
    const services = awsServices();
    const record = await services.cases.update(id, () => ({
      fields: { status: 'closed' },
      events: [],
    }));
    await services.planner.sync(record);
    await expect(getSchedule('disclosure')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(getSchedule('advance')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(getSchedule('distributor-reminder')).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(getSchedule('pre-disclosure')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
