/** Section 2 of docs/benchmarks.md: the bare work per message, and the ratio to it. */
import { formatMs } from '../../support/bench-support';
import type { Analysis } from '../analysis';
import { dist, mdTable } from '../format';
import { type BenchResults, RETIRED } from '../results';

export function bareSection(r: BenchResults, a: Analysis): string {
  return [
    '## 2. Bare work per message',
    '',
    'The same messages, in the same process after the burst, one at a time with no I/O: parse',
    '(`parseInboundMail`, mailparser), read and decrypt (`MailReportReader.read` with the',
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
    `**Ratio: ${formatMs(a.pipelinePerReportMs)} / ${formatMs(a.bareMeanMs)} = ${a.ratio.toFixed(2)}** (a figure since #17; the target was ≤ ${RETIRED.ratio}).`,
    `Measured to the last ack instead of the end of intake, it is ${a.ratioToLastAck.toFixed(2)}.`,
  ].join('\n');
}
