import { type CheckResult, fail, pass } from '../check-result';
import { awsProblem } from '../gatherers/aws-problem';
import type { ReportSender } from './report-sender';
import { buildTestReports } from './test-reports';
import { type ReportProgress, type SentReport, whereToLook } from './test-progress';
import { type InboxObserver, type WaitClock, waitForReports } from './wait-for-reports';

export interface SendTestOptions {
  project: string;
  securityAddress: string;
  /** A verified identity to send from (in the SES sandbox, one of the sandbox identities). */
  from: string;
  /** The names of the maintainers with usable keys: each must get a copy. */
  maintainers: readonly string[];
  large: boolean;
  largeBytes?: number;
  timeoutMs: number;
  pollMs: number;
  /** Progress lines, as they happen. */
  print: (line: string) => void;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

function describe(p: ReportProgress): string {
  const copies = p.copiesTo?.length ? `copies to ${p.copiesTo.join(', ')}` : 'no copies yet';
  return `${p.caseId ? `case ${p.caseId}` : 'no case yet'}, ${p.acknowledged ? 'acknowledged' : 'not acknowledged yet'}, ${copies}`;
}

/**
 * Sends the test reports, then waits until each has its case, acknowledgment and maintainer
 * copies; one result per report.
 */
export async function runSendTest(
  sender: ReportSender,
  observer: InboxObserver,
  clock: WaitClock,
  options: SendTestOptions,
): Promise<CheckResult[]> {
  const reports = await buildTestReports({
    from: options.from,
    to: options.securityAddress,
    project: options.project,
    large: options.large,
    largeBytes: options.largeBytes,
  });
  const sent: SentReport[] = [];
  const results: CheckResult[] = [];
  for (const report of reports) {
    const title = `Test report (${report.label})`;
    const sentAt = new Date(clock.now()).toISOString();
    try {
      await sender.send(report, { from: options.from, to: options.securityAddress });
      options.print(
        `Sent the ${report.label} test report (${(report.raw.length / 1e6).toFixed(1)} MB).`,
      );
      sent.push({ label: report.label, token: report.token, from: options.from, sentAt });
    } catch (err) {
      results.push(
        fail(
          title,
          `Could not send it: ${awsProblem('ses:SendEmail', err)}`,
          `Send from an identity SES has verified in this region (aws sesv2 get-email-identity --email-identity ${options.from}), with credentials allowed ses:SendEmail on it.`,
        ),
      );
    }
  }
  if (sent.length === 0) return results;

  const final = await waitForReports(sent, options.maintainers, observer, clock, {
    timeoutMs: options.timeoutMs,
    pollMs: options.pollMs,
    onProgress: (p, elapsed) =>
      options.print(`  ${p.label}, after ${seconds(elapsed)}: ${describe(p)}.`),
  });
  const elapsed = clock.now() - Date.parse(sent[0]!.sentAt);
  for (const p of final) {
    const title = `Test report (${p.label})`;
    if (p.done) results.push(pass(title, `${describe(p)}, within ${seconds(elapsed)}.`));
    else if (p.problem) results.push(fail(title, p.problem, whereToLook(p)));
    else
      results.push(
        fail(
          title,
          `Still waiting after ${seconds(options.timeoutMs)}: ${describe(p)}.`,
          whereToLook(p),
        ),
      );
  }
  return results;
}
