import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { MailTransport, RawOutboundMail } from '../../shared/outbound/mail-transport';
import type { NoticeScheduler, NoticeTrigger } from '../../shared/notices/notice-scheduler';

/**
 * Counts every call to a dependency (each DynamoDB and S3 request, each send, each scheduler
 * call) and makes the one numbered `failAt` fail, as a throttled table, a store that is down or
 * a refused send would. Local emulators do not produce these faults on cue; the client code
 * that runs is still the real one, since the fault sits in the SDK's own middleware stack.
 */
export class FaultPlan {
  calls = 0;
  failAt: number | undefined;
  readonly log: string[] = [];

  step(what: string): void {
    this.calls += 1;
    if (this.calls === this.failAt) {
      this.log.push(`${this.calls}: ${what} FAILED`);
      throw Object.assign(new Error(`injected fault at call ${this.calls}: ${what}`), {
        name: what.startsWith('dynamodb')
          ? 'ProvisionedThroughputExceededException'
          : 'ServiceUnavailable',
      });
    }
    this.log.push(`${this.calls}: ${what}`);
  }

  instrumentDynamo(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.step(`dynamodb ${context.commandName}`);
        return next(args);
      },
      { step: 'initialize', name: 'embargoFaultInjection' },
    );
    return client;
  }

  instrumentS3(client: S3Client): S3Client {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.step(`s3 ${context.commandName}`);
        return next(args);
      },
      { step: 'initialize', name: 'embargoFaultInjection' },
    );
    return client;
  }

  transport(inner: MailTransport): MailTransport {
    return {
      send: async (mail: RawOutboundMail) => {
        this.step(`send to ${mail.recipient}`);
        return inner.send(mail);
      },
    };
  }

  scheduler(inner: NoticeScheduler): NoticeScheduler {
    return {
      schedule: async (name: string, at: Date, trigger: NoticeTrigger) => {
        this.step(`schedule ${name}`);
        await inner.schedule(name, at, trigger);
      },
      cancel: async (name: string) => {
        this.step(`cancel ${name}`);
        await inner.cancel(name);
      },
    };
  }
}
