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
  /**
   * The call numbered so goes through, and then its answer is lost: what was written stays
   * written, but the caller sees a failure (a timeout after the server committed).
   */
  loseAnswerAt: number | undefined;
  readonly log: string[] = [];

  private fault(n: number, what: string, how: string): Error {
    this.log.push(`${n}: ${what} ${how}`);
    return Object.assign(new Error(`injected fault at call ${n}: ${what}`), {
      name: what.startsWith('dynamodb')
        ? 'ProvisionedThroughputExceededException'
        : 'ServiceUnavailable',
    });
  }

  /** Numbers a call; throws when it is the one to fail. */
  step(what: string): number {
    const n = (this.calls += 1);
    if (n === this.failAt) throw this.fault(n, what, 'FAILED');
    this.log.push(`${n}: ${what}`);
    return n;
  }

  /** After call `n` went through: throws when its answer is the one to lose. */
  answered(n: number, what: string): void {
    if (n === this.loseAnswerAt) throw this.fault(n, what, 'ANSWER LOST');
  }

  private async around<T>(what: string, call: () => Promise<T>): Promise<T> {
    const n = this.step(what);
    const result = await call();
    this.answered(n, what);
    return result;
  }

  instrumentDynamo(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        return this.around(`dynamodb ${context.commandName}`, () => next(args));
      },
      { step: 'initialize', name: 'embargoFaultInjection' },
    );
    return client;
  }

  instrumentS3(client: S3Client): S3Client {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        return this.around(`s3 ${context.commandName}`, () => next(args));
      },
      { step: 'initialize', name: 'embargoFaultInjection' },
    );
    return client;
  }

  transport(inner: MailTransport): MailTransport {
    return {
      send: (mail: RawOutboundMail) =>
        this.around(`send to ${mail.recipient}`, () => inner.send(mail)),
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
