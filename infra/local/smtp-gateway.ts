import { EmbargoError } from '../../shared/errors';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { isOwnAddress } from '../../shared/addresses/security-address';
import { buildSesReceiptEvent } from '../../shared/events/ses-receipt-event';
import type { Logger } from '../../shared/logging/logger';
import type { RawMailStore } from '../../shared/intake/raw-mail-store';

/** SES accepts messages up to 40 MB (including headers) on receipt. */
export const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface SmtpGatewayOptions {
  host: string;
  port: number;
  securityAddress: string;
  rawMail: RawMailStore;
  /**
   * Hands the stored message on, as the SES receipt rule's Lambda action would; `sender` is
   * the envelope sender, by whose domain local intake takes turns.
   */
  deliver: (event: unknown, messageId: string, sender: string) => void;
  log: Logger;
}

export interface SmtpGateway {
  address: string;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** SES message ids are 40 lower-case letters and digits. */
function newMessageId(): string {
  return randomBytes(25)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 40);
}

/**
 * A certificate for STARTTLS, made at each start and never stored. Mail clients such as neomutt
 * try STARTTLS by default (SES's endpoints offer it); local mode offers it too, self-signed, so
 * that such a client gets a certificate to accept rather than "500 command not recognized".
 */
async function localCertificate(host: string): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'embargo.local' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2 as const, value: 'localhost' },
          ...(/^[\d.]+$/.test(host)
            ? [{ type: 7 as const, ip: host }]
            : [{ type: 2 as const, value: host }]),
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * Local stand-in for SES receiving: accepts mail for the security address (and its reply
 * addresses), stores the raw message first, then triggers intake with an SES-shaped event.
 */
export async function startSmtpGateway(options: SmtpGatewayOptions): Promise<SmtpGateway> {
  const server = new SMTPServer({
    name: 'embargo.local',
    banner: 'Embargo local receiving (stands in for Amazon SES)',
    authOptional: true,
    disabledCommands: ['AUTH'],
    ...(await localCertificate(options.host)),
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (isOwnAddress(address.address, options.securityAddress)) return callback();
      callback(
        smtpError(
          550,
          `5.1.1 <${address.address}>: mailbox unavailable; this server accepts mail for ${options.securityAddress} only`,
        ),
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError(552, `5.3.4 message exceeds ${MAX_MESSAGE_BYTES} bytes`));
        }
        const messageId = newMessageId();
        const receivedAt = new Date();
        const raw = Buffer.concat(chunks);
        // Let the chunks go while the store writes: a large message is then held once.
        chunks.length = 0;
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        options.rawMail.put(messageId, raw).then(
          () => {
            options.log.info('smtp.accepted', {
              messageId,
              envelopeFrom,
              recipients,
              bytes: raw.length,
            });
            callback(null, `2.0.0 Ok: stored as ${messageId}`);
            const event = buildSesReceiptEvent({
              messageId,
              receivedAt,
              envelopeFrom,
              recipients,
              functionArn: 'arn:aws:lambda:local:000000000000:function:embargo-intake',
            });
            options.deliver(event, messageId, envelopeFrom);
          },
          (err: Error) => {
            options.log.error('smtp.store-failed', { messageId, error: err.message });
            callback(smtpError(451, '4.3.0 could not store the message; try again later'));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, options)));
    server.listen(options.port, options.host, () => resolve());
  });
  const { address, port } = server.server.address() as AddressInfo;
  return {
    address: `${address}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port that cannot be had, said as what to do about it rather than `listen EADDRINUSE`. */
function listenError(err: NodeJS.ErrnoException, at: { host: string; port: number }): Error {
  const where = `${at.host}:${at.port}`;
  if (err.code === 'EADDRINUSE') {
    return new EmbargoError(
      'SMTP_LISTEN_FAILED',
      `Another program is already using port ${at.port} on ${at.host} (perhaps another Embargo).`,
      `Stop it, or choose another port: EMBARGO_SMTP_PORT=2526 npm start (0 picks any free port).`,
      { cause: err },
    );
  }
  if (err.code === 'EACCES') {
    return new EmbargoError(
      'SMTP_LISTEN_FAILED',
      `This user may not listen on ${where} (ports below 1024 need privileges).`,
      'Choose a port above 1023 with EMBARGO_SMTP_PORT, e.g. EMBARGO_SMTP_PORT=2525.',
      { cause: err },
    );
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return new EmbargoError(
      'SMTP_LISTEN_FAILED',
      `${at.host} is not an address of this machine.`,
      'Set EMBARGO_SMTP_HOST to one of its addresses, e.g. 127.0.0.1.',
      { cause: err },
    );
  }
  return err;
}
