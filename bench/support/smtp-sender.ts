import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { now } from './bench-support';

import type { SmtpTarget } from '../../test/support/smtp-client';

export { parseSmtpAddress, type SmtpTarget } from '../../test/support/smtp-client';

export interface Accepted {
  /** When the 250 arrived (performance.now()). */
  acceptedAt: number;
  /** The id the gateway stored the message under ("stored as <id>"). */
  storedAs: string;
}

/** One SMTP session kept open for several transactions, as a sending MTA does. */
export class SmtpSession {
  private constructor(private readonly connection: SMTPConnection) {}

  static async open(target: SmtpTarget): Promise<SmtpSession> {
    const connection = new SMTPConnection({
      ...target,
      ignoreTLS: true,
      secure: false,
      socketTimeout: 10 * 60_000,
    });
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => resolve());
    });
    return new SmtpSession(connection);
  }

  send(envelope: { from: string; to: string[] }, raw: Buffer): Promise<Accepted> {
    return new Promise((resolve, reject) => {
      this.connection.send(envelope, raw, (err, info) => {
        if (err) return reject(err);
        const acceptedAt = now();
        const storedAs = /stored as (\S+)/.exec(info.response)?.[1];
        if (!storedAs) return reject(new Error(`unexpected SMTP answer: ${info.response}`));
        resolve({ acceptedAt, storedAs });
      });
    });
  }

  close(): void {
    this.connection.quit();
  }
}

/**
 * Sends every message with `inFlight` concurrent SMTP sessions, each taking the next message
 * as soon as its previous one got its 250.
 */
export async function sendAll<T>(
  target: SmtpTarget,
  items: T[],
  inFlight: number,
  message: (item: T) => { envelope: { from: string; to: string[] }; raw: Buffer },
  onAccepted: (item: T, accepted: Accepted) => void,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    const session = await SmtpSession.open(target);
    try {
      while (next < items.length) {
        const item = items[next++]!;
        const { envelope, raw } = message(item);
        onAccepted(item, await session.send(envelope, raw));
      }
    } finally {
      session.close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
}
