/**
 * Counts the AWS requests SDK clients send, by service and operation, with SDK middleware in the
 * deserialize step: that step runs once per HTTP attempt, so retries count as the requests
 * (and the cost) they are.
 */
export interface CountableClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'deserialize'; name: string; override?: boolean },
    ): void;
  };
}

export class AwsRequestCounter {
  /** "DynamoDB UpdateItem", in the order sent. */
  readonly requests: string[] = [];

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
    }
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
