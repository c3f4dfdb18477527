import type { Stack } from 'aws-cdk-lib';
import type { EmbargoFunction } from '../functions/embargo-function';
import type { NoticeScheduling } from '../scheduling/notice-scheduling';
import { EmbargoAlarms } from './embargo-alarms';
import { DeploySettingsError } from '../preflight/deploy-settings';

/** SES reviews an account whose bounce rate reaches 5 %; the alarm goes off above that. */
export const BOUNCE_RATE_ALARM_THRESHOLD = 0.05;

/** What the alarms watch: the stack's functions and the scheduler's dead-letter queue. */
export interface AlarmSources {
  readonly intake: EmbargoFunction;
  readonly notices: EmbargoFunction;
  readonly watch: EmbargoFunction;
  readonly sendingEvents: EmbargoFunction;
  readonly scheduling: NoticeScheduling;
}

/**
 * The stack's alarms: see EmbargoAlarms, and docs/deploy.md for what to do when one goes off.
 * `stack` is the EmbargoStack itself (typed by what is read, so this file need not import it);
 * the alarms construct goes directly below it, keeping the logical ids it had there. `email`
 * falls back to the `alarmEmail` context value; without either, the topic has no subscriber.
 */
export function createAlarms(
  stack: Stack & AlarmSources,
  project: string,
  email: string | undefined,
): EmbargoAlarms {
  const alarms = new EmbargoAlarms(stack, 'Alarms', {
    metricNamespace: `Embargo/${project}`,
    email: email ?? alarmEmailFromContext(stack),
  });
  const functions = [
    ['Intake', stack.intake, 'intake of mail to the security address'],
    ['Notices', stack.notices, 'a scheduled notice'],
    ['AckWatch', stack.watch, 'the acknowledgment watch'],
    ['SendingEvents', stack.sendingEvents, 'an SES bounce or complaint notification'],
  ] as const;
  for (const [name, fn, what] of functions) {
    alarms.whenFunctionFails(
      `${name}Errors`,
      fn.function,
      `An invocation for ${what} failed. See the log group ${fn.logGroup.logGroupName}.`,
    );
    // Every function that sends mail counts it against the day's budget (maxMailsPerDay); the
    // line is logged once a day, by whichever function sends the mail that reaches 90 %. Mail
    // refused after that (`outbound.budget-spent`) fails the invocation, which alarms above.
    alarms.whenLogged(
      `${name}SendingBudgetLow`,
      fn.logGroup,
      'outbound.budget-low',
      `Today's mail has reached 90 % of maxMailsPerDay (seen by ${what}): copies of incoming mail now wait, acknowledgments and notices still go. Look for a flood with \`npx embargo inbound\`; see docs/flood.md.`,
    );
    if (fn.deadLetterQueue) {
      alarms.whenQueueNotEmpty(
        `${name}DeadLetters`,
        fn.deadLetterQueue,
        `An event for ${what} failed every retry and waits in the dead-letter queue.`,
      );
    }
  }
  // Input no retry can change is refused on the first attempt (functions/refused-input.ts)
  // rather than failed into a dead-letter queue: one alarm for the three event-driven functions.
  alarms.whenLoggedInAny(
    'InputRefused',
    [
      ['Intake', stack.intake.logGroup],
      ['Notices', stack.notices.logGroup],
      ['SendingEvents', stack.sendingEvents.logGroup],
    ],
    'function.input-refused',
    'A function refused an event no retry can handle (its shape, its invoker, or a value the table cannot store). The log line function.input-refused names the function, the code and the reason.',
  );
  alarms.whenQueueNotEmpty(
    'SchedulerDeadLetters',
    stack.scheduling.deadLetterQueue,
    'EventBridge Scheduler could not invoke a function for a schedule (a notice or the watch).',
  );
  alarms.whenLogged(
    'AckFailed',
    stack.watch.logGroup,
    'watch.ack-failed',
    "The watch could not send a report's acknowledgment; the answer deadline is at risk.",
  );
  alarms.whenLogged(
    'Escalated',
    stack.watch.logGroup,
    'watch.escalated',
    'The watch warned the maintainers: a report has no answer and its deadline is near or past.',
  );
  alarms.whenLogged(
    'WatchCaseFailed',
    stack.watch.logGroup,
    'watch.case-failed',
    'The watch failed on a case (and went on with the others).',
  );
  alarms.whenBounceRateAbove(
    'SesBounceRate',
    BOUNCE_RATE_ALARM_THRESHOLD,
    'The SES bounce rate is above 5 %; SES may review or pause sending for the account.',
  );
  return alarms;
}

/** The `alarmEmail` context value (`-c alarmEmail=…`), if any; refused unless an address. */
function alarmEmailFromContext(stack: Stack): string | undefined {
  const value: unknown = stack.node.tryGetContext('alarmEmail');
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(value)) {
    throw new DeploySettingsError(
      `The alarmEmail context value must be one email address, got ${JSON.stringify(value)}.`,
      'Give it as in this example: -c alarmEmail=ops@example.org',
    );
  }
  return value;
}
