import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';

/** One test report: its label, the token its subject carries (to find its case), the raw MIME. */
export interface TestReport {
  readonly label: string;
  readonly token: string;
  readonly subject: string;
  readonly raw: Buffer;
}

/** About 35 MB: a large report, under the 40 MB SES accepts on receipt (and sends with v2). */
export const LARGE_REPORT_BYTES = 35_000_000;

/** Attachment bytes whose base64 (76-character lines and CRLF) makes about `total` bytes of mail. */
const attachmentBytesFor = (total: number) => Math.floor(((total - 4096) * 3 * 76) / (4 * 78));

export interface TestReportOptions {
  from: string;
  to: string;
  project: string;
  /** Also build the ~35 MB report (default true). */
  large?: boolean;
  /** The large report's size, for a test that cannot afford 35 MB (default LARGE_REPORT_BYTES). */
  largeBytes?: number;
}

async function compose(
  options: TestReportOptions,
  label: string,
  attachment?: Buffer,
): Promise<TestReport> {
  const token = `doctor-${randomBytes(6).toString('hex')}`;
  const subject = `Embargo doctor test report ${token} (${label})`;
  const raw = await new MailComposer({
    from: options.from,
    to: options.to,
    subject,
    text:
      `This is a test report sent by \`npx embargo doctor --send-test\` to check the ${options.project} ` +
      'security inbox end to end: case, acknowledgment and maintainer copies. It describes no ' +
      'vulnerability. Close the case once the test is done.\n',
    attachments: attachment
      ? [
          {
            filename: 'doctor-test-payload.bin',
            content: attachment,
            contentType: 'application/octet-stream',
          },
        ]
      : [],
  })
    .compile()
    .build();
  return { label, token, subject, raw };
}

/** A small report and, unless `large` is false, one of about 35 MB (random, incompressible bytes). */
export async function buildTestReports(options: TestReportOptions): Promise<TestReport[]> {
  const reports = [await compose(options, 'small')];
  if (options.large !== false) {
    const bytes = options.largeBytes ?? LARGE_REPORT_BYTES;
    reports.push(
      await compose(
        options,
        `about ${Math.round(bytes / 1e6)} MB`,
        randomBytes(attachmentBytesFor(bytes)),
      ),
    );
  }
  return reports;
}
