import { fork } from 'node:child_process';
import { join } from 'node:path';
import { now, SECURITY_ADDRESS } from '../support/bench-support';
import type { LargeReportChildResult } from './large-report-child';
import { largeReport } from '../support/report-messages';
import { parseSmtpAddress, SmtpSession } from '../support/smtp-sender';

export interface LargeReportResult extends LargeReportChildResult {
  attachmentBytes: number;
  messageBytes: number;
  /** From the start of the SMTP DATA until the 250. */
  smtpMs: number;
}

type ChildMessage =
  | { type: 'ready'; smtp: string; baselinePeak: number }
  | { type: 'result'; result: LargeReportChildResult }
  | { type: 'error'; error: string };

/**
 * One plain report with a `attachmentBytes` attachment, sent from this process to a fresh child
 * running the local runtime; the child reports its VmHWM (see large-report-child.ts).
 */
export async function runLargeReport(
  attachmentBytes: number,
  step: (what: string) => void,
): Promise<LargeReportResult> {
  step('building the message');
  const report = largeReport(`large${process.pid}`, attachmentBytes);
  step('starting the runtime in a child process');
  const child = fork(join(__dirname, 'large-report-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: ChildMessage[] = [];
  let wake: () => void = () => {};
  child.on('message', (m) => {
    messages.push(m as ChildMessage);
    wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const next = async (timeoutMs: number): Promise<ChildMessage> => {
    const deadline = Date.now() + timeoutMs;
    while (!messages.length) {
      if (Date.now() > deadline) throw new Error('the large-report child did not answer in time');
      await Promise.race([
        new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 1000);
        }),
        exited,
      ]);
      if (child.exitCode !== null && !messages.length)
        throw new Error(`the large-report child exited with ${child.exitCode}`);
    }
    const message = messages.shift()!;
    if (message.type === 'error') throw new Error(`large-report child failed: ${message.error}`);
    return message;
  };
  try {
    const ready = await next(120_000);
    if (ready.type !== 'ready') throw new Error('unexpected message from the child');
    step('sending the report');
    const session = await SmtpSession.open(parseSmtpAddress(ready.smtp));
    const started = now();
    await session.send({ from: report.from, to: [SECURITY_ADDRESS] }, report.raw);
    const smtpMs = now() - started;
    session.close();
    step('waiting for the acknowledgment and the maintainer copies');
    const done = await next(600_000);
    if (done.type !== 'result') throw new Error('unexpected message from the child');
    await exited;
    return {
      ...done.result,
      attachmentBytes,
      messageBytes: report.raw.length,
      smtpMs,
    };
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
