/** Section 1 of docs/benchmarks.md: the burst through the local runtime. */
import { formatMiB, formatMs } from '../../support/bench-support';
import type { Analysis } from '../analysis';
import { dist, mdTable, n1, pct } from '../format';
import type { BenchResults } from '../results';

export function burstSection(r: BenchResults, a: Analysis): string {
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
