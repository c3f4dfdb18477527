import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { startSmtpGateway, type SmtpGateway } from '../../infra/local/smtp-gateway';
import { memoryLogger, startStores, type Stores } from '../support/local-stores';
import { parseSmtpAddress, rawMessage } from '../support/smtp-client';

/**
 * Mail clients try STARTTLS by default (neomutt did, and got "500 command not recognized"):
 * local receiving offers it with a certificate made at start, and mail sent over it is stored.
 */
describe('local SMTP receiving and STARTTLS', () => {
  let stores: Stores;
  let gateway: SmtpGateway;
  const delivered: string[] = [];

  beforeAll(async () => {
    stores = await startStores();
    gateway = await startSmtpGateway({
      host: '127.0.0.1',
      port: 0,
      securityAddress: 'security@example.org',
      rawMail: stores.services().rawMail,
      deliver: (_event, messageId) => delivered.push(messageId),
      log: memoryLogger(),
    });
  });
  afterAll(async () => {
    await gateway.close();
    await stores.stop();
  });

  it('advertises STARTTLS and takes mail over it', async () => {
    const connection = new SMTPConnection({
      ...parseSmtpAddress(gateway.address),
      secure: false,
      requireTLS: true,
      // Self-signed, as a user accepts it in neomutt ("accept once").
      tls: { rejectUnauthorized: false },
    });
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => resolve());
    });
    try {
      const response = await new Promise<string>((resolve, reject) =>
        connection.send(
          { from: 'alice@example.net', to: ['security@example.org'] },
          rawMessage({ from: 'alice@example.net' }),
          (err, info) => (err ? reject(err) : resolve(info.response)),
        ),
      );
      expect(connection.secure).toBe(true);
      expect(response).toMatch(/stored as (\S+)/);
      expect(delivered).toHaveLength(1);
    } finally {
      connection.quit();
    }
  });
});
