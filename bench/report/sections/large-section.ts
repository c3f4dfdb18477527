/** Section 4 of docs/benchmarks.md: one report with a 25 MiB attachment. */
import { MAIL_ATTACHMENT_BUDGET_BYTES } from '../../../shared/outbound/oversized-attachments';
import { formatMiB, formatMs } from '../../support/bench-support';
import type { Analysis } from '../analysis';
import { mdTable } from '../format';
import type { BenchResults } from '../results';

export function largeSection(r: BenchResults, a: Analysis): string {
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
