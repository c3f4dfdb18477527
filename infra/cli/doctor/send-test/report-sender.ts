import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { TestReport } from './test-reports';

/** Sends a test report to the security address, as a reporter's mail server would. */
export interface ReportSender {
  send(report: TestReport, envelope: { from: string; to: string }): Promise<void>;
}

/**
 * Through SES (v2 SendEmail with raw content, which takes up to 40 MB), from an identity SES
 * has verified: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html
 */
export class SesReportSender implements ReportSender {
  constructor(private readonly client: SESv2Client) {}

  async send(report: TestReport, envelope: { from: string; to: string }): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: envelope.from,
        Destination: { ToAddresses: [envelope.to] },
        Content: { Raw: { Data: report.raw } },
      }),
    );
  }
}

/** Over SMTP to a host:port (local mode's gateway, which stands in for SES receiving). */
export class SmtpReportSender implements ReportSender {
  constructor(private readonly address: string) {}

  async send(report: TestReport, envelope: { from: string; to: string }): Promise<void> {
    const colon = this.address.lastIndexOf(':');
    const connection = new SMTPConnection({
      host: this.address.slice(0, colon),
      port: Number(this.address.slice(colon + 1)),
      ignoreTLS: true,
      secure: false,
    });
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => resolve());
    });
    try {
      await new Promise<void>((resolve, reject) => {
        connection.send({ from: envelope.from, to: [envelope.to] }, report.raw, (err) =>
          err ? reject(err) : resolve(),
        );
      });
    } finally {
      connection.quit();
    }
  }
}
