import { awsIntakeServices, awsSdkClients } from '../../functions/aws-runtime';
import { handler } from '../../functions/intake';
import { fixture } from '../support/bench-support';
import { plainReport } from '../support/report-messages';
import type { EmbargoConfig } from '../../shared/config/embargo-config';
import { AwsRequestCounter } from '../../test/support/aws-request-counter';
import { awsEvent, startAwsTier } from '../../test/support/aws-tier';
import { motoServerAvailable } from '../../test/support/moto-server';

/** The AWS requests of one new report, by "Service Operation", counted with SDK middleware. */
export type AwsRequestsResult =
  | { skipped: true; reason: string }
  | {
      skipped: false;
      /** Up to the acknowledgment's SendEmail (excluded): what the reporter waits for. */
      beforeAck: Record<string, number>;
      total: Record<string, number>;
      /** The same report handled again (Lambda's at-least-once delivery). */
      redelivered: Record<string, number>;
    };

/**
 * Runs the AWS composition (functions/aws-runtime.ts) against moto_server and counts the requests
 * a new plain report makes, from the documented receipt event (warm container: the project key
 * secret is read before counting, as after a first report). moto_server must be on the PATH.
 */
export async function runAwsRequests(config: EmbargoConfig): Promise<AwsRequestsResult> {
  if (!motoServerAvailable())
    return {
      skipped: true,
      reason: 'moto_server (Python package moto) is not on this machine',
    };
  const tier = await startAwsTier(config, fixture('project-secret.asc'));
  try {
    const event = awsEvent('ses-receipt-lambda-event.json') as {
      Records: {
        ses: {
          mail: { messageId: string; source: string; timestamp: string };
          receipt: { recipients: string[]; action: { functionArn: string } };
        };
      }[];
    };
    const counter = new AwsRequestCounter();
    awsIntakeServices();
    counter.attach(awsSdkClients());
    const send = async (n: number) => {
      const messageId = `bench-aws-${n}`;
      const report = plainReport(n, 'aws');
      await tier.putRawMail(messageId, report.raw);
      const e = structuredClone(event);
      e.Records[0]!.ses.mail.messageId = messageId;
      e.Records[0]!.ses.mail.source = report.from;
      e.Records[0]!.ses.mail.timestamp = new Date().toISOString();
      e.Records[0]!.ses.receipt.recipients = [config.securityAddress];
      return handler(e, {
        getRemainingTimeInMillis: () => 60_000,
        invokedFunctionArn: e.Records[0]!.ses.receipt.action.functionArn,
      });
    };
    await send(1); // warms the container: the project key is read once per container
    counter.reset();
    await send(2);
    const ack = counter.requests.indexOf('SESv2 SendEmail');
    const beforeAck = counter.byOperation(0, ack < 0 ? undefined : ack);
    const total = counter.byOperation();
    counter.reset();
    await send(2);
    return { skipped: false, beforeAck, total, redelivered: counter.byOperation() };
  } finally {
    await tier.stop();
  }
}
