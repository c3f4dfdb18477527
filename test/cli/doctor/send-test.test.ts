import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbargoConfig } from '../../../shared/config/embargo-config';
import { startLocalRuntime, type LocalRuntime } from '../../../infra/local/local-runtime';
import {
  SmtpReportSender,
  type ReportSender,
} from '../../../infra/cli/doctor/send-test/report-sender';
import { runSendTest, type SendTestOptions } from '../../../infra/cli/doctor/send-test/send-test';
import { LARGE_REPORT_BYTES } from '../../../infra/cli/doctor/send-test/test-reports';
import {
  realClock,
  type InboxObserver,
} from '../../../infra/cli/doctor/send-test/wait-for-reports';
import { readMaildir } from '../../support/maildir';
import { memoryLogger, testConfig } from '../../support/local-stores';
import { resolvedMaintainer } from '../../support/local-project';

/**
 * `doctor --send-test` against local mode, in this process: the test reports go over SMTP to
 * the local gateway (where SES receiving would take them), intake runs as Lambda would, and the
 * waiting reads the same stores the CLI reads.
 */
describe('doctor --send-test against local mode', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  const config: EmbargoConfig = {
    ...testConfig,
    maintainers: [resolvedMaintainer('mia'), resolvedMaintainer('max')],
  };
  const observer = (): InboxObserver => ({
    observe: async () => ({
      cases: await runtime.services.cases.list(),
      inbound: await runtime.services.ledger.list(),
    }),
  });
  const options = (overrides: Partial<SendTestOptions> = {}): SendTestOptions => ({
    project: config.project,
    securityAddress: config.securityAddress,
    from: 'tester@example.net',
    maintainers: ['Mia', 'Max'],
    large: false,
    timeoutMs: 60_000,
    pollMs: 200,
    print: () => undefined,
    ...overrides,
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'embargo-doctor-'));
    runtime = await startLocalRuntime(
      {
        dataDir,
        smtpPort: 0,
        smtpHost: '127.0.0.1',
        schedulerTickMs: 1000,
        watchIntervalMs: 3_600_000,
        maxSendRate: 14,
      },
      config,
      memoryLogger(),
    );
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a small and a ~35 MB report each get a case, an acknowledgment and both maintainer copies', async () => {
    const lines: string[] = [];
    const results = await runSendTest(
      new SmtpReportSender(runtime.smtpAddress),
      observer(),
      realClock,
      {
        ...options({ large: true, print: (line) => lines.push(line) }),
        timeoutMs: 240_000,
      },
    );
    expect(results.map((r) => [r.title, r.status])).toEqual([
      ['Test report (small)', 'pass'],
      [`Test report (about ${Math.round(LARGE_REPORT_BYTES / 1e6)} MB)`, 'pass'],
    ]);
    expect(results[1]!.summary).toMatch(
      /^case SEC-\d{4}-\d{4}, acknowledged, copies to Mia, Max, within \d+ s\.$/,
    );
    // The large report really was about 35 MB on the wire.
    const sizes = lines
      .map((l) => /\((\d+\.\d) MB\)/.exec(l)?.[1])
      .filter(Boolean)
      .map(Number);
    expect(sizes[1]).toBeGreaterThan(34);
    expect(sizes[1]).toBeLessThan(36);
    // What the verdict read is what was mailed: one acknowledgment per report to the tester.
    const toTester = (await readMaildir(runtime.outboxDir)).filter(
      (m) => m.deliveredTo === 'tester@example.net',
    );
    expect(toTester).toHaveLength(2);
  }, 300_000);

  test('a report that never arrives ends, at the timeout, saying what to look at', async () => {
    const lost: ReportSender = { send: async () => undefined };
    const [result] = await runSendTest(lost, observer(), realClock, options({ timeoutMs: 1_000 }));
    expect(result).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/^Still waiting after 1 s: no case yet/),
    });
    expect(result!.action).toMatch(/MX record and the active rule set/);
  });

  test('a maintainer who gets no copy is named, without waiting for the timeout', async () => {
    const started = Date.now();
    const [result] = await runSendTest(
      new SmtpReportSender(runtime.smtpAddress),
      observer(),
      realClock,
      options({ maintainers: ['Mia', 'Max', 'Zoe'], timeoutMs: 60_000 }),
    );
    expect(result).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/no copy to Zoe/),
    });
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test('a report the sender cannot send fails with the reason and what to do', async () => {
    const refusing: ReportSender = {
      send: async () => {
        throw Object.assign(new Error('Email address is not verified.'), {
          name: 'MessageRejected',
        });
      },
    };
    const [result] = await runSendTest(refusing, observer(), realClock, options());
    expect(result).toMatchObject({
      status: 'fail',
      summary: expect.stringContaining('MessageRejected (Email address is not verified.)'),
    });
    expect(result!.action).toMatch(/verified in this region/);
  });
});
