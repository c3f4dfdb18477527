import { writeFileSync } from 'node:fs';
import Table from 'cli-table3';
import { format, resolveConfig } from 'prettier';
import { MAIL_ATTACHMENT_BUDGET_BYTES } from '../shared/reports/oversized-attachments';
import { analyze, type Analysis, type Distribution } from './analysis';
import { formatMiB, formatMs, MB } from './bench-support';
import { TARGETS, type BenchResults } from './results';

const yes = (met: boolean) => (met ? 'met' : '**missed**');
const plainYes = (met: boolean) => (met ? 'met' : 'MISSED');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
/** Bundle sizes: two decimals, since near the target 1.0 MiB could be either side of it. */
const bundleMiB = (bytes: number) => `${(bytes / MB).toFixed(2)} MiB`;
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)} %`;
const n1 = (x: number) => x.toFixed(1);

function mdTable(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const dist = (d: Distribution) =>
  `p50 ${formatMs(d.p50)}, p95 ${formatMs(d.p95)}, p99 ${formatMs(d.p99)}, max ${formatMs(d.max)}`;

/** The headline rows: what each target asks, what was measured, whether it is met. */
function headline(r: BenchResults, a: Analysis): [string, string, string, string][] {
  const rows: [string, string, string, string][] = [
    [
      `Burst throughput (${a.n} reports, ${r.burst.inFlight} SMTP sessions)`,
      `${n1(a.throughput)} reports/s`,
      '—',
      '',
    ],
    [
      'Ack latency, SMTP 250 → ack in outbox',
      `p50 ${formatMs(a.latency.p50)} · p95 ${formatMs(a.latency.p95)} · p99 ${formatMs(a.latency.p99)}`,
      `p99 ≤ ${formatMs(TARGETS.p99AckMs)}`,
      plainYes(a.met.p99),
    ],
    ['Peak RSS of the burst process (VmHWM)', formatMiB(r.burst.peakRss), '—', ''],
    [
      'Bare work per message (parse + read + 3× render/encrypt)',
      `${formatMs(a.bareMeanMs)} mean`,
      '—',
      '',
    ],
    [
      'Pipeline time per report / bare work',
      `${formatMs(a.pipelinePerReportMs)} / ${formatMs(a.bareMeanMs)} = ${a.ratio.toFixed(2)}`,
      `≤ ${TARGETS.ratio}`,
      plainYes(a.met.ratio),
    ],
  ];
  for (const x of a.bundles) {
    rows.push([
      `Bundle ${x.entry}: size`,
      `${bundleMiB(x.bytes)}, ${x.bytes.toLocaleString('en')} B (${kib(x.gzipBytes)} gzipped)`,
      `≤ ${formatMiB(TARGETS.bundleBytes)}`,
      plainYes(x.bytes <= TARGETS.bundleBytes),
    ]);
    rows.push([
      `Bundle ${x.entry}: load (median of ${x.loadRuns})`,
      `${formatMs(x.loadMs)} (${formatMs(x.loadWithSourceMapsMs)} with --enable-source-maps)`,
      `≤ ${formatMs(TARGETS.loadMs)}`,
      plainYes(x.loadMs <= TARGETS.loadMs),
    ]);
  }
  rows.push([
    'Peak memory, one report with a 25 MiB attachment: the intake function (VmHWM)',
    `${formatMiB(r.intakeLambda.peakAfterHandler)} (${formatMiB(r.intakeLambda.peakAfterInit)} after loading)`,
    `≤ ${formatMiB(TARGETS.largePeakBytes)}`,
    plainYes(a.met.largePeak),
  ]);
  rows.push([
    `Peak memory, a PGP/MIME report with a ${formatMiB(r.intakeLambdaEncrypted.attachmentBytes)} attachment: the intake function`,
    `${formatMiB(r.intakeLambdaEncrypted.peakAfterHandler)} (${formatMiB(r.intakeLambdaEncrypted.messageBytes)} message)`,
    '—',
    '',
  ]);
  rows.push([
    '25 MiB report: the whole local runtime, stand-in stores included (VmHWM)',
    `${formatMiB(a.largePeak)} (${formatMiB(r.large.peakAtAck)} at the ack)`,
    '—',
    '',
  ]);
  return rows;
}

export function terminalSummary(r: BenchResults): string {
  const a = analyze(r);
  const table = new Table({
    head: ['Measure', 'Measured', 'Target', ''],
    wordWrap: true,
    ...(process.stdout.isTTY ? {} : { style: { head: [], border: [] } }),
  });
  for (const row of headline(r, a)) table.push(row);
  const others = Object.entries(r.phases)
    .map(([phase, s]) => `${phase}: ${s.otherCores.toFixed(2)}`)
    .join(', ');
  return [
    `Embargo bench, ${r.date}, ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; took ${formatMs(r.durationMs)}`,
    table.toString(),
    `Acks ${a.acked}/${a.n}; maintainer copies ${r.burst.maintainerCopies}/${r.burst.expectedMaintainerCopies}; dead letters ${r.burst.deadLetters}; retried invocations ${a.retries}`,
    `Cores used by other processes on this machine during each phase: ${others}`,
  ].join('\n');
}

function machineSection(r: BenchResults): string {
  const rows = Object.entries(r.phases).map(([phase, s]) => [
    phase,
    formatMs(s.wallMs),
    s.benchCores.toFixed(2),
    s.otherCores.toFixed(2),
    s.loadAverage.toFixed(2),
  ]);
  return [
    `Measured on ${r.date} (run started ${r.startedAt}, took ${formatMs(r.durationMs)}) on this`,
    `project's machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB RAM,`,
    `Node ${r.machine.node} on Linux. The Lambdas run Node 22 on arm64, so absolute numbers there differ.`,
    '',
    'The machine is shared with other work (other engineers run the test suite on it). How busy it',
    'was during each phase, in cores on average (from /proc/stat; "bench" is this process and the',
    'children it ran):',
    '',
    mdTable(
      [
        'Phase',
        'Wall time',
        'Cores used by the bench',
        'Cores used by others',
        'Load avg (1 min) at end',
      ],
      rows,
    ),
  ].join('\n');
}

function burstSection(r: BenchResults, a: Analysis): string {
  const b = r.burst;
  const stageRows = a.unloaded.stages.map((u) => [u.stage, n1(u.calls), formatMs(u.ms)]);
  const commands = a.dynamoCommands.map(([c, count]) => `${c} ${count.toFixed(1)}`).join(', ');
  const warnings = Object.entries(b.warnings);
  return [
    '## 1. Burst through the local runtime',
    '',
    'The local runtime (`startLocalRuntime`: SMTP gateway, dynalite, s3rver, Maildir outbox, the',
    'intake handler behind the local async invoker, which runs 8 invocations at a time) in the',
    'bench process, on a temporary data directory with the fixture project key imported. The',
    'configuration has three maintainers (the mia, max and debian fixture keys) and no',
    'distributors, so every report is acknowledged and copied to three maintainers, each copy',
    'rendered, encrypted to that maintainer and signed. The 48-hour watch is its own Lambda on a',
    'schedule in AWS and was kept out of the window (interval set to an hour); the notice',
    'scheduler ticked as usual. Logs were dropped (warnings and errors counted).',
    '',
    `${a.n} reports, built before the clock starts: ${a.n - a.encryptedCount} plain (text + patch`,
    `attachment) and ${a.encryptedCount} PGP/MIME (RFC 3156, the same entity encrypted to`,
    '`project-public.asc` with openpgp), alternating, each with its own From and Message-ID. They',
    `were sent over ${b.inFlight} concurrent SMTP sessions, each sending its next message as soon as the`,
    'previous one got its 250. The acknowledgment of a report is the file in `outbox/new/` whose',
    "`Delivered-To` is the report's From address and whose `In-Reply-To` is its Message-ID; its time",
    `is when the bench saw the file (inotify, with a directory scan every 500 ms as a backstop: ${a.seenByScan}`,
    'acks were first seen by the scan). Latency is from the 250 to that moment.',
    '',
    `Before the burst, ${b.unloaded.length} reports (same mix) went through one at a time, each`,
    'waited for (maintainer copies included) before the next: the latency without queueing, and',
    `warm-up. After it, ${b.profile?.reports ?? 0} more reports went through under V8's sampling profiler`,
    '(section "Where the time goes"); they are not in the figures above.',
    '',
    mdTable(
      ['Measure', 'Value'],
      [
        ['Reports accepted / acknowledged', `${a.n} / ${a.acked}`],
        [
          'Maintainer copies written',
          `${b.maintainerCopies} of ${b.expectedMaintainerCopies} (burst, one-at-a-time and profiled reports)`,
        ],
        ['Dead-lettered / retried invocations', `${b.deadLetters} / ${a.retries}`],
        ['Other mail in the outbox', String(b.unexpectedMail)],
        [
          'SMTP: first 250 → last 250',
          `${formatMs(a.acceptSpanMs)} (${n1(a.acceptRate)} reports/s accepted)`,
        ],
        ['First 250 → last ack', `${formatMs(a.ackSpanMs)}`],
        ['**Throughput** (reports / (first 250 → last ack))', `**${n1(a.throughput)} reports/s**`],
        ['First 250 → all intake finished (copies included)', formatMs(a.drainSpanMs)],
        ['**Ack latency**, all', `**${dist(a.latency)}**`],
        ['Ack latency, plain reports', dist(a.latencyPlain)],
        ['Ack latency, encrypted reports', dist(a.latencyEncrypted)],
        ['Waiting for an invoker slot (250 → handler start)', dist(a.queueWait)],
        ['Handler start → ack written', dist(a.toAckWritten)],
        ['Ack written → seen by the bench', dist(a.watchLag)],
        ['Handler duration (whole intake, 8 interleaved)', dist(a.handler)],
        ['One at a time: ack latency', dist(a.unloaded.latency)],
        [
          'One at a time: plain / encrypted (p50)',
          `${formatMs(a.unloaded.plain.p50)} / ${formatMs(a.unloaded.encrypted.p50)}`,
        ],
        ['One at a time: handler duration', dist(a.unloaded.handler)],
        [
          'Process CPU over the burst window',
          `${b.cpuCores.toFixed(2)} cores (of ${r.machine.cores})`,
        ],
        ['Main-thread event-loop utilisation', pct(b.eventLoopUtilization, 1)],
        ['**Peak RSS** (VmHWM after the burst)', `**${formatMiB(b.peakRss)}**`],
      ],
    ),
    '',
    'Where intake spends its time per report, by stage, for the one-at-a-time reports: wall time,',
    'inclusive ("acknowledge" contains its DynamoDB calls and its Maildir write, "forward to',
    'maintainers" the three encryptions). The stages are timed by wrapping the service objects from',
    'the bench, with AsyncLocalStorage to attribute each call to its report; the product code is',
    'unchanged. AsyncLocalStorage turns on async hooks, which slow every promise, so the burst and',
    'the profiled run ran without it: there the bench timed only each invocation (start, end, ack',
    'written). Under load the stage times would mostly show the interleaving of eight invocations;',
    'the profile below shows where the CPU goes instead.',
    '',
    mdTable(['Stage', 'Calls per report', 'One at a time'], stageRows),
    '',
    `DynamoDB calls per report: ${n1(a.dynamoCallsPerReport)} (${commands}).`,
    ...(b.probeMissing.length
      ? [
          '',
          `Stages the bench could not find to time (internals changed): ${b.probeMissing.join(', ')}.`,
        ]
      : []),
    ...(warnings.length
      ? ['', `Warnings and errors logged: ${warnings.map(([k, v]) => `${k} ×${v}`).join(', ')}.`]
      : ['', 'No warnings or errors were logged.']),
  ].join('\n');
}

function profileSection(r: BenchResults, pipelinePerReportMs: number): string {
  const p = r.burst.profile;
  if (!p) return '';
  const total = [...p.byCategory.values()].reduce((x, y) => x + y, 0);
  const rows = [...p.byCategory]
    .sort((x, y) => y[1] - x[1])
    .map(([category, ms]) => [category, formatMs(ms / p.reports), pct(ms, total)]);
  const packages = [...p.byPackage]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 12)
    .map(([pkg, ms]) => `${pkg} ${pct(ms, total)}`)
    .join(', ');
  const internals = [...(p.byNodeInternal ?? new Map<string, number>())]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 8)
    .map(([url, ms]) => `${url.replace(/^node:/, '')} ${pct(ms, total)}`)
    .join(', ');
  const idle = [...p.byCategory].filter(([k]) => /^idle/.test(k)).reduce((x, [, v]) => x + v, 0);
  return [
    '### Where the time goes',
    '',
    `${p.reports} more reports, same mix and concurrency, under V8's sampling profiler (1 ms`,
    `interval; the run took ${formatMs(p.wallMs)}). Self time of the main thread by where the code`,
    'comes from, per report. Everything in the runtime (the servers standing in for DynamoDB,',
    'S3 and SES receiving, and intake itself) shares this one thread; "idle" is the thread waiting',
    'for I/O or timers.',
    '',
    mdTable(['Code', 'Main-thread ms per report', 'Share'], rows),
    '',
    `The thread was busy ${formatMs((total - idle) / p.reports)} per report (everything but idle) and idle`,
    `${pct(idle, total)} of the time; the main burst took ${formatMs(pipelinePerReportMs)} of wall time per report.`,
    'The runtime is bound by this one thread.',
    '',
    `Heaviest packages: ${packages}.`,
    ...(internals ? ['', `Heaviest Node.js internals: ${internals}.`] : []),
  ].join('\n');
}

function bareSection(r: BenchResults, a: Analysis): string {
  return [
    '## 2. Bare work per message',
    '',
    'The same messages, in the same process after the burst, one at a time with no I/O: parse',
    '(`parseInboundMail`, mailparser), read and decrypt (`OpenPgpReportReader.read` with the',
    "maintainers' keys as known signers, as intake calls it), then for each of the three",
    'maintainers build their copy (`buildMaintainerCopy`), render it (`renderMime`, as',
    '`MailDispatcher` does) and encrypt and sign it (`OpenPgpMailCrypto.encryptAndSign`). Not',
    'included: the acknowledgment (rendered, not encrypted) and key inspection.',
    '',
    mdTable(
      ['Measure', 'Value'],
      [
        ['Messages', `${r.bare.length} (after ${r.burst.unloaded.length} for warm-up)`],
        ['**Per message**', `**mean ${formatMs(a.bareMeanMs)}**; ${dist(a.bare)}`],
        ['Plain / encrypted (mean)', `${formatMs(a.barePlainMs)} / ${formatMs(a.bareEncryptedMs)}`],
        ...a.bareStages.map((s) => [`  ${s.stage}`, formatMs(s.ms)]),
      ],
    ),
    '',
    "**Pipeline time per report** is defined as the burst's wall time from the first 250 until",
    'every intake invocation had finished (acks and maintainer copies written), divided by the',
    `number of reports: ${formatMs(a.drainSpanMs)} / ${a.n} = ${formatMs(a.pipelinePerReportMs)}. This is what one report`,
    'costs the runtime at saturation, with its 8-way concurrency. (Per-invocation busy time would',
    `count the same CPU several times: ${formatMs(a.handler.mean)} mean with 8 interleaved.)`,
    '',
    `**Ratio: ${formatMs(a.pipelinePerReportMs)} / ${formatMs(a.bareMeanMs)} = ${a.ratio.toFixed(2)}** (target ≤ ${TARGETS.ratio}: ${yes(a.met.ratio)}).`,
    `Measured to the last ack instead of the end of intake, it is ${a.ratioToLastAck.toFixed(2)}.`,
  ].join('\n');
}

function bundleSection(r: BenchResults, a: Analysis): string {
  const rows = a.bundles.map((x) => [
    `functions/${x.entry}.ts`,
    `${x.bytes.toLocaleString('en')} B (${formatMiB(x.bytes)})`,
    kib(x.gzipBytes),
    formatMiB(x.mapBytes),
    `**${formatMs(x.loadMs)}** (${formatMs(x.loadMinMs)}–${formatMs(x.loadMaxMs)})`,
    formatMs(x.loadWithSourceMapsMs),
    `${formatMs(x.split.compile)} + ${formatMs(x.split.evaluate)}`,
  ]);
  const intake = a.bundles.find((x) => x.entry === 'intake') ?? a.bundles[0]!;
  const top = intake.topPackages
    .slice(0, 14)
    .map(([pkg, bytes]) => [pkg, kib(bytes), pct(bytes, intake.bytes)]);
  const costRows = a.packageCosts.map((c) => [
    c.group,
    formatMiB(intake.bytes - c.bytesWithout),
    c.failed ? `could not load without it (${c.failed})` : formatMs(c.marginalMs),
  ]);
  return [
    '## 3. Bundles',
    '',
    'Each function bundled with esbuild as the stack bundles it (`bench/bundles.ts`, with the',
    'settings it shares with the stack from `infra/aws/function-bundling.ts`): `bundle`,',
    "`platform: node`, `target: node22`, `minify`, `sourcemap` without `sourcesContent`, package.json's",
    '`sideEffects`, ES module builds first (`mainFields: module, main`), the AWS SDK bundled except',
    'the credential providers a Lambda never reaches, libmime aliased to one build, the',
    '`import.meta.url` banner and define, and the configuration (the three maintainers above)',
    'inlined with `define` — the command line',
    "aws-cdk-lib's `NodejsFunction` runs. Load time: a fresh `node -e` process that reads",
    '`process.hrtime.bigint()`, `require`s the bundle (defining the handler, not calling it) and',
    `prints the difference, run from the bundle's folder so nothing resolves from node_modules;`,
    `median of ${a.bundles[0]?.loadRuns ?? 0} runs. The stack sets \`NODE_OPTIONS=--enable-source-maps\` on the`,
    'functions, so the load is also timed with it. Compile + evaluate: the same load split into',
    "V8 compiling the file (`vm.Script`) and running its top level (every bundled module's",
    `initialisation), medians of 10 runs, which need not add up to the require time.`,
    '',
    mdTable(
      [
        'Function',
        'Size',
        'gzip',
        'Source map',
        'Load (min–max)',
        'Load, source maps on',
        'Compile + evaluate',
      ],
      rows,
    ),
    '',
    'What the intake bundle is made of (bytes in the output by package):',
    '',
    mdTable(['Package', 'Bytes', 'Share'], top),
    '',
    `What each group of packages costs at load: the intake bundle built with the group external and`,
    'replaced at load by an inert stand-in, against the full bundle loaded the same way',
    `(${formatMs(a.stubBaselineMs)}); 10 alternating runs each, medians. Noisy on a shared machine; treat`,
    'differences under ~20 ms as noise.',
    '',
    mdTable(['Left out', 'Bytes saved', 'Load time saved'], costRows),
  ].join('\n');
}

function largeSection(r: BenchResults, a: Analysis): string {
  const l = r.large;
  const f = r.intakeLambda;
  const e = r.intakeLambdaEncrypted;
  const rows = a.largeProgression.map((s) => [
    `${s.from} → ${s.to}`,
    formatMiB(s.peak),
    formatMiB(s.rss),
  ]);
  return [
    '## 4. One report with a 25 MiB attachment',
    '',
    '### The intake function alone',
    '',
    'As a Lambda container runs it: `functions/intake.ts` bundled as in section 3, loaded by plain',
    'Node in a fresh process with the environment and `NODE_OPTIONS=--enable-source-maps` the stack',
    'gives it, and invoked once with the SES receipt event. What it calls runs in the bench process:',
    'dynalite and s3rver for DynamoDB and S3, and a small HTTP stand-in for Secrets Manager (the',
    'project key) and SES v2 SendEmail (which records what would have been sent). The report',
    `(${formatMiB(f.messageBytes)}: text and a ${formatMiB(f.attachmentBytes)} attachment of random bytes) was stored in S3 first, as SES does.`,
    '',
    mdTable(
      ['Measure', 'Value'],
      [
        ['VmHWM after loading the bundle (init)', formatMiB(f.peakAfterInit)],
        ['**VmHWM after the handler returned**', `**${formatMiB(f.peakAfterHandler)}**`],
        ['Handler time', formatMs(f.handlerMs)],
        ['Outcome', `\`${JSON.stringify(f.outcome)}\``],
        [
          'Mails handed to SES',
          `${f.sentTo.length} (the acknowledgment and one copy per maintainer)`,
        ],
        ['Largest mail handed to SES', `${(f.largestMailBytes / 1024).toFixed(1)} KiB`],
      ],
    ),
    '',
    `The attachment is over the ${formatMiB(MAIL_ATTACHMENT_BUDGET_BYTES)} that a maintainer copy carries, so intake keeps it`,
    'as a case file (S3, KMS-encrypted) and each copy names it, with its SHA-256 and the',
    '`npx embargo file` command that fetches it. Mailed whole, each copy would be about 1.85',
    'times the attachment (base64, then ASCII armor): more than SES sends (40 MB) and more than',
    'many mailboxes accept.',
    '',
    `The same function with the largest encrypted report SES receives (a ${formatMiB(e.attachmentBytes)} attachment in a`,
    `${formatMiB(e.messageBytes)} PGP/MIME message) peaked at **${formatMiB(e.peakAfterHandler)}** (handler ${formatMs(e.handlerMs)}, outcome`,
    `\`${JSON.stringify(e.outcome)}\`, ${e.sentTo.length} mails). Here the message is also held as armored text and as the`,
    'decrypted entity while openpgp decrypts it; the stack gives intake 1024 MB for this reason.',
    '',
    '### The whole local runtime',
    '',
    `A fresh child process (tsx, so that the high-water mark is only this) starts the local runtime`,
    'with the same configuration; the bench process sends it the same kind of report over SMTP',
    `(${formatMs(l.smtpMs)} to the 250), the child waits for the acknowledgment in its outbox and then for`,
    `intake to finish (${l.maintainerCopies} maintainer copies). Intake took ${formatMs(l.intakeMs)}. This process also holds the SMTP`,
    'gateway, dynalite and s3rver, which stand in for SES receiving, DynamoDB and S3, so it holds',
    'the message several times over; it has no target. VmHWM of the child:',
    '',
    mdTable(
      ['Point', 'VmHWM'],
      [
        ['Runtime started, before the report (includes tsx)', formatMiB(l.baselinePeak)],
        ['When the ack was seen', formatMiB(l.peakAtAck)],
        ['**After intake** (copies encrypted and written)', `**${formatMiB(a.largePeak)}**`],
      ],
    ),
    '',
    'Where the high-water mark rose by more than 4 MiB: between which two events of the stage',
    'probe (a stage starting or ending) it happened, the mark after it, and the resident size at',
    'the second event:',
    '',
    mdTable(['Between', 'VmHWM', 'RSS then'], rows),
  ].join('\n');
}

function missedSection(r: BenchResults, a: Analysis): string {
  const parts: string[] = ['## Targets not met: what limits them, what would be needed', ''];
  const p = r.burst.profile;
  const profileTotal = p ? [...p.byCategory.values()].reduce((x, y) => x + y, 0) : NaN;
  const sum = (name: RegExp) =>
    p ? [...p.byCategory].filter(([k]) => name.test(k)).reduce((x, [, v]) => x + v, 0) : NaN;
  const share = (name: RegExp) => (100 * sum(name)) / profileTotal;
  const perReport = (name: RegExp) => (p ? sum(name) / p.reports : NaN);
  const STORES = /dynalite|s3rver|AWS SDK|Node\.js internals/;
  const unloadedDynamo = a.unloaded.stages.find((s) => s.stage === 'DynamoDB call');
  const intake = a.bundles.find((x) => x.entry === 'intake') ?? a.bundles[0];

  if (!a.met.p99) {
    parts.push(
      `### Ack latency: p99 ${formatMs(a.p99)} against ≤ ${formatMs(TARGETS.p99AckMs)}`,
      '',
      'The acknowledgment path itself is fast; the time is spent queueing. One report at a time is',
      `acknowledged ${formatMs(a.unloaded.latency.p50)} after its 250 (p50; max ${formatMs(a.unloaded.latency.max)}), because intake`,
      'sends the acknowledgment before it encrypts the maintainer copies. In the burst the SMTP',
      `gateway accepted ${n1(a.acceptRate)} reports/s but intake finished only ${n1(a.throughput)}/s, so the reports queued`,
      `(latency p50 ${formatMs(a.latency.p50)}, max ${formatMs(a.latency.max)}). For the slowest 1 % (${formatMs(a.slowest.latency)} on average)`,
      `the time was: ${formatMs(a.slowest.queueWait)} waiting for one of the local invoker's 8 slots,`,
      `${formatMs(a.slowest.toAckWritten)} from handler start to the written ack (interleaved with 7 other invocations),`,
      `and ${formatMs(a.slowest.watchLag)} until the bench saw the file. The p99 is roughly the time to work off the`,
      'whole burst.',
      '',
      `The 8 slots do not add capacity: the process used ${r.burst.cpuCores.toFixed(2)} of ${r.machine.cores} cores and its main thread`,
      `was busy ${pct(r.burst.eventLoopUtilization, 1)} of the window. Intake, dynalite, s3rver, the SMTP server and the`,
      'bench share one event loop, so more slots only interleave more work on it. In the profile, the',
      "AWS SDK clients, dynalite/s3rver and Node's own http/net/stream code take",
      `${n1(share(STORES))} % of that thread (${formatMs(perReport(STORES))} per report); openpgp takes ${formatMs(perReport(/openpgp/))} per report.`,
      '',
      `To meet p99 ≤ 1 s for ${a.n} reports arriving at ${n1(a.acceptRate)}/s, intake would have to keep up with`,
      `arrivals (about ${formatMs(1000 / a.acceptRate)} of main-thread time per report, against ${formatMs(a.pipelinePerReportMs)} now),`,
      "or acknowledgments would have to stop queueing behind other reports' maintainer copies.",
      'Neither is in reach on this machine: even the acknowledging part alone (unloaded, the ack is',
      `written ${formatMs(a.unloaded.toAckWritten.p50)} after the handler starts, against ${formatMs(a.unloaded.handler.p50)} for the whole handler, p50)`,
      `takes longer than the ${formatMs(1000 / a.acceptRate)} between arrivals, and it shares the thread with the stand-in`,
      'stores. What would be needed (not done here): split intake into a short acknowledging step',
      'and a forwarding step with its own queue (in AWS a second function fed by SQS or an',
      'asynchronous invocation; locally a second invoker that yields to the first), so that an ack',
      'waits only for other acks; and with that, less main-thread work per acknowledgment than the',
      'time between arrivals, which this machine does not have.',
      '',
      'Tried and dropped (2026-11-25): running dynalite and s3rver on a worker thread. Over a',
      '300-report burst the process then used 1.54 cores instead of 1.31, but throughput stayed',
      'the same (29.8 against 29.3 reports/s; p99 8.2 s against 7.7 s, within run-to-run noise) and',
      "the main thread stayed 98 % busy. On two cores the stores' thread competes with it for the",
      "same CPUs, and most of the main thread's work is intake's own side of each request (the AWS",
      'SDK, the HTTP client, MIME and openpgp), which stays where it is.',
      '',
      'In AWS the picture differs but the limit has the same shape: intake has reserved',
      "concurrency 10, so a burst queues in Lambda's asynchronous queue and waits about",
      '(reports ÷ 10) × the handler time; each container has its own CPU share (Lambda allots CPU',
      'in proportion to memory, one vCPU at 1,769 MB; intake has 1024 MB), and DynamoDB and S3 are',
      "remote, so their CPU is not intake's. This local figure does not predict AWS.",
      '',
    );
  }
  if (!a.met.ratio) {
    const commands = a.dynamoCommands.map(([c, count]) => `${count.toFixed(1)} ${c}`).join(', ');
    const perCall = unloadedDynamo ? unloadedDynamo.ms / Math.max(1, unloadedDynamo.calls) : NaN;
    parts.push(
      `### Pipeline / bare: ${a.ratio.toFixed(2)} against ≤ ${TARGETS.ratio}`,
      '',
      `The bare work is ${formatMs(a.bareMeanMs)} per message; the runtime needs ${formatMs(a.pipelinePerReportMs)} per report.`,
      `Most of the difference is the stores. Every report makes ${n1(a.dynamoCallsPerReport)} DynamoDB calls (${commands});`,
      `even one at a time they take ${formatMs(unloadedDynamo?.ms ?? NaN)} per report (${formatMs(perCall)} per call). Each call is an HTTP`,
      'request that the AWS SDK and dynalite (with its LevelDB) both handle on the same main thread.',
      `The profile puts the SDK, the stand-in stores and Node's http/net/stream code at ${n1(share(STORES))} % of the`,
      `thread, and openpgp at ${n1(share(/openpgp/))} %. The runtime also does work that the bare measure`,
      'leaves out: the acknowledgment, the SMTP server and the Maildir writes.',
      '',
      `To reach ${TARGETS.ratio}, everything apart from the bare work would have to fit in`,
      `${formatMs((TARGETS.ratio - 1) * a.bareMeanMs)} per report. The calls are already down to what the guarantees need`,
      '(test/intake/dynamo-calls.test.ts pins them): taking the delivery, the duplicate fingerprint,',
      'the sequence and the id reservation, the case, one record per mail sent (the ack and three',
      'copies), one case update and the outcome, each a single conditional write. At the measured',
      `${formatMs(perCall)} per call, they alone exceed that budget several times over. The AWS SDK's own work per`,
      'call (building, signing and parsing the request) is part of it and would remain in AWS;',
      "dynalite's share would not (DynamoDB's CPU is not intake's). Moving the stand-in stores to",
      'a worker thread did not change the time per report (see the section above).',
      '',
    );
  }
  if (intake && (!a.met.bundleSize || !a.met.bundleLoad)) {
    const top = intake.topPackages
      .slice(0, 6)
      .map(([pkg, bytes]) => `${pkg} ${kib(bytes)}`)
      .join(', ');
    const costs = a.packageCosts
      .filter((c) => !c.failed)
      .sort((x, y) => y.marginalMs - x.marginalMs)
      .map((c) => `${c.group} ${formatMs(c.marginalMs)}`)
      .join(', ');
    // The SDK with the packages only it uses; mailparser with its charset, HTML and link packages.
    const SDK = /^(@aws-sdk|@smithy|@aws-crypto|@aws)\/|^(bowser|mnemonist|obliterator)$/;
    const MAIL =
      /^(mailparser|libmime|libqp|libbase64|iconv-lite|safer-buffer|encoding-japanese|@zone-eu\/mailsplit|he|tlds|punycode\.js|linkify-it|uc\.micro|html-to-text|htmlparser2|entities|domelementtype|domhandler|domutils|dom-serializer|leac|peberminta|parseley|selderee|@selderee\/plugin-htmlparser2|deepmerge-ts)$/;
    const bytesIn = (x: (typeof a.bundles)[number], pattern: RegExp) =>
      x.topPackages.filter(([pkg]) => pattern.test(pkg)).reduce((n, [, b]) => n + b, 0);
    const perFunction = a.bundles
      .map(
        (x) =>
          `${x.entry} ${bundleMiB(x.bytes)} (AWS SDK ${formatMiB(bytesIn(x, SDK))}, openpgp ${kib(bytesIn(x, /^openpgp$/))})`,
      )
      .join(', ');
    parts.push(
      `### Bundles: ${a.bundles.map((x) => bundleMiB(x.bytes)).join(', ')} against ≤ ${formatMiB(TARGETS.bundleBytes)}; load ${a.bundles.map((x) => formatMs(x.loadMs)).join(', ')} against ≤ ${formatMs(TARGETS.loadMs)}`,
      '',
      'Each function bundles only the services it uses (docs/architecture.md, "Bundles"): only',
      `intake carries mail parsing and the report reader (mailparser and its charset and HTML`,
      `packages: ${formatMiB(bytesIn(intake, MAIL))}). By function: ${perFunction}.`,
      `The largest parts of the intake bundle are ${top}. Of its load time, ${formatMs(intake.split.compile)}`,
      `is compiling and ${formatMs(intake.split.evaluate)} is running the top level of every bundled module. Leaving`,
      `groups out of it (section 3) saves ${costs}. With \`--enable-source-maps\`, which the stack sets`,
      `on the functions, the load of intake is ${formatMs(intake.loadWithSourceMapsMs)}.`,
      '',
      'What remains:',
      '',
      ...a.bundles
        .filter((x) => x.bytes > TARGETS.bundleBytes)
        .flatMap((x) => {
          const over = x.bytes - TARGETS.bundleBytes;
          const nodemailer = x.topPackages.find(([pkg]) => pkg === 'nodemailer')?.[1] ?? 0;
          return x.entry === 'intake'
            ? [
                `- intake is ${formatMiB(over)} over. Mail parsing alone (mailparser with its charset tables,`,
                `  HTML entity tables and link finder) is ${formatMiB(bytesIn(x, MAIL))}, and openpgp ${kib(bytesIn(x, /^openpgp$/))}; both are needed`,
                `  for every message. Even with the AWS SDK (${formatMiB(bytesIn(x, SDK))}) taken from the managed runtime, which the`,
                '  stack decided against so that the functions run the versions in package-lock.json,',
                '  intake would stay well over 1 MiB.',
              ]
            : [
                `- ${x.entry} is ${kib(over)} over. nodemailer takes ${kib(nodemailer)} of the bundle, 76 KiB of it its table`,
                '  of file extensions and MIME types, bundled whether or not a type is ever looked up.',
                "  Leaving it out needs an esbuild plugin, which CDK's NodejsFunction does not take, or",
                '  another MIME composer; neither was done.',
              ];
        }),
      '',
    );
  }
  if (!a.met.largePeak) {
    const f = r.intakeLambda;
    parts.push(
      `### 25 MiB report: ${formatMiB(f.peakAfterHandler)} against ≤ ${formatMiB(TARGETS.largePeakBytes)}`,
      '',
      `The function is at ${formatMiB(f.peakAfterInit)} once its bundle is loaded (the code, its source map with`,
      '`--enable-source-maps`, and the SDK clients). Handling the report then holds the raw message',
      '(read from S3 into one buffer of its size), the decoded attachment, and the transient',
      'base64 text of the attachment while it is decoded; the attachment is then written to S3 as a',
      'case file. Lower would need the attachment streamed from the raw message to S3 without being',
      'held whole, which mailparser does not offer for a message already in memory.',
      '',
    );
  }
  if (a.met.p99 && a.met.ratio && a.met.bundleSize && a.met.bundleLoad && a.met.largePeak)
    parts.push('Every target is met.', '');
  return parts.join('\n');
}

export function renderDocument(r: BenchResults): string {
  const a = analyze(r);
  const head = headline(r, a).map(([m, v, t, ok]) => [m, v, t, ok ? yes(ok === 'met') : '']);
  return [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (bench/run-bench.ts); edit the bench, not this file. -->',
    '',
    machineSection(r),
    '',
    `Run it again with \`npm run bench\` (${formatMs(r.durationMs)} for this run; it is not part of \`npm test\`).`,
    '',
    '## Results against the targets',
    '',
    mdTable(['Measure', 'Measured', 'Target', 'Result'], head),
    '',
    missedSection(r, a),
    burstSection(r, a),
    '',
    profileSection(r, a.pipelinePerReportMs),
    '',
    bareSection(r, a),
    '',
    bundleSection(r, a),
    '',
    largeSection(r, a),
    '',
  ].join('\n');
}

function wrap(text: string, width: number, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  // Keep a number with its unit ("133.9 ms") on one line.
  const words: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const previous = words[words.length - 1];
    // ...and never start a line with something Markdown would read as a list item or heading.
    const unit = /\d$/.test(previous ?? '') && /^(ms|s|MiB|KiB|B|%|cores)\b/.test(word);
    const marker = /^([-+*#>]|\d+[.)])$/.test(word);
    if (previous && (unit || marker)) words[words.length - 1] = `${previous} ${word}`;
    else words.push(word);
  }
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

/**
 * Re-wraps prose paragraphs and list items to `width` columns (the sections are written with
 * numbers spliced into fixed lines); headings, tables and comments are left alone.
 */
export function reflow(markdown: string, width = 100): string {
  return markdown
    .split(/\n{2,}/)
    .map((block) => {
      if (/^(#|\||<!--)/.test(block)) return block;
      if (block.startsWith('- ')) {
        return block
          .split(/\n(?=- )/)
          .map((item) => wrap(item.slice(2), width, '- ', '  ').join('\n'))
          .join('\n');
      }
      return wrap(block, width, '', '').join('\n');
    })
    .join('\n\n');
}

/** Writes the document formatted as `prettier --check` expects it (it is part of `npm test`). */
export async function writeDocument(file: string, r: BenchResults): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(reflow(renderDocument(r)), { ...options, filepath: file }));
}
