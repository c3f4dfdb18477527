import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  /** Mails received so far, by recipient address (lower case). */
  received: Map<string, number>;
  /** The first lines of the mails sent to `to`, for a message saying why a run failed. */
  lastTo(to: string): string | undefined;
  close(): Promise<void>;
}

/** An SMTP server on a free local port that takes every mail and keeps only counts. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received = new Map<string, number>();
  const last = new Map<string, string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        const head = Buffer.concat(chunks).toString('utf8', 0, 2000);
        for (const rcpt of session.envelope.rcptTo) {
          const to = rcpt.address.toLowerCase();
          received.set(to, (received.get(to) ?? 0) + 1);
          last.set(to, head);
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    lastTo: (to) => last.get(to.toLowerCase()),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
