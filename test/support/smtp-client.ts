import SMTPConnection from 'nodemailer/lib/smtp-connection';

export interface SmtpTarget {
  host: string;
  port: number;
}

export function parseSmtpAddress(address: string): SmtpTarget {
  const colon = address.lastIndexOf(':');
  return { host: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}

/** Sends a raw message with an explicit envelope (an empty `from` is the null sender <>). */
export async function sendRaw(
  target: SmtpTarget,
  envelope: { from: string; to: string[] },
  raw: string | Buffer,
): Promise<string> {
  const connection = new SMTPConnection({ ...target, ignoreTLS: true, secure: false });
  await new Promise<void>((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(() => resolve());
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      connection.send(envelope, raw, (err, info) => (err ? reject(err) : resolve(info.response)));
    });
  } finally {
    connection.quit();
  }
}

let counter = 0;

/** A minimal RFC 5322 message; extra headers come before the standard ones. */
export function rawMessage(options: {
  from: string;
  to?: string;
  subject?: string;
  body?: string;
  messageId?: string | null;
  headers?: Record<string, string>;
}): string {
  counter += 1;
  const lines = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
  lines.push(`From: ${options.from}`);
  lines.push(`To: ${options.to ?? 'security@example.org'}`);
  lines.push(`Subject: ${options.subject ?? 'Heap overflow in parser'}`);
  lines.push('Date: Wed, 25 Nov 2026 09:00:00 +0000');
  if (options.messageId !== null) {
    lines.push(
      `Message-ID: ${options.messageId ?? `<test-${process.pid}-${Date.now()}-${counter}@example.net>`}`,
    );
  }
  lines.push('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '');
  lines.push(options.body ?? 'The parser overflows its heap buffer on long input.');
  return lines.join('\r\n') + '\r\n';
}
