/**
 * Counts the AWS requests SDK clients send, by service and operation, with SDK middleware in the
 * deserialize step: that step runs once per HTTP attempt, so retries count as the requests
 * (and the cost) they are.
 */
interface Args {
  input?: Record<string, unknown>;
}
interface Result {
  output?: Record<string, unknown>;
}
export interface CountableClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: Args) => Promise<Result>,
        context: { clientName?: string; commandName?: string },
      ) => (args: Args) => Promise<Result>,
      options: { step: 'deserialize' | 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

/** One SES SendEmail: the raw MIME handed to SES and the id SES answered with. */
export interface SentThroughSes {
  recipient: string;
  raw: string;
  sesMessageId: string;
}

export class AwsRequestCounter {
  /** "DynamoDB UpdateItem", in the order sent. */
  readonly requests: string[] = [];
  /** Every mail handed to SES v2 SendEmail, in order. */
  readonly sent: SentThroughSes[] = [];

  attach(clients: readonly unknown[]): void {
    for (const client of clients as CountableClient[]) {
      client.middlewareStack.add(
        (next, context) => (args) => {
          const service = (context.clientName ?? '?').replace(/Client$/, '');
          const operation = (context.commandName ?? '?').replace(/Command$/, '');
          this.requests.push(`${service} ${operation}`);
          return next(args);
        },
        { step: 'deserialize', name: 'embargoRequestCounter', override: true },
      );
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          if (context.commandName === 'SendEmailCommand') this.recordSend(args, result);
          return result;
        },
        { step: 'initialize', name: 'embargoSentMail', override: true },
      );
    }
  }

  private recordSend(args: Args, result: Result): void {
    const input = args.input as {
      Destination?: { ToAddresses?: string[] };
      Content?: { Raw?: { Data?: Uint8Array } };
    };
    this.sent.push({
      recipient: input.Destination?.ToAddresses?.[0] ?? '',
      raw: Buffer.from(input.Content?.Raw?.Data ?? []).toString('utf8'),
      sesMessageId: String(result.output?.MessageId ?? ''),
    });
  }

  /** Marks a point (for example: the acknowledgment handed to SES) to count up to. */
  mark(): number {
    return this.requests.length;
  }

  byOperation(from = 0, to = this.requests.length): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests.slice(from, to)) counts[r] = (counts[r] ?? 0) + 1;
    return counts;
  }

  reset(): void {
    this.requests.length = 0;
  }
}
