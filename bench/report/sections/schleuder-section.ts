/** Section 6 of docs/benchmarks.md: Schleuder beside Embargo on the same messages (#7, #17). */
import { formatMs } from '../../support/bench-support';
import { mdTable } from '../format';
import type { BenchResults } from '../results';

/** The comparison's rows in the headline table: figures, not targets. */
export function schleuderHeadline(
  r: Pick<BenchResults, 'schleuder'>,
): [string, string, string, string][] {
  const s = r.schleuder;
  if (!s) return [];
  if (s.skipped)
    return [['Schleuder beside Embargo (CPU per message)', `skipped: ${s.reason}`, '—', '']];
  const schleuder = s.schleuderChildMs + s.schleuderAgentMs;
  return [
    [
      `CPU per message, ${s.messages} messages × ${s.recipients} recipients, one at a time: Schleuder / Embargo / GnuPG alone`,
      `${formatMs(schleuder)} / ${formatMs(s.embargoWarmMs)} / ${formatMs(s.gnupgMs)}; Schleuder ÷ Embargo = ${(schleuder / s.embargoWarmMs).toFixed(1)}`,
      'a figure (#17)',
      '',
    ],
  ];
}

export function schleuderSection(r: BenchResults): string {
  const s = r.schleuder;
  const head = '## 6. Beside Schleuder (#7, #17)';
  if (!s)
    return `${head}\n\nNot measured in this run (it was saved before the comparison existed).`;
  if (s.skipped)
    return [
      head,
      '',
      `Skipped: ${s.reason}. Install it (\`${s.install}\`, the Debian package) and run \`npm run bench\` again,`,
      'or only this part with `npm run bench -- --only schleuder`; it runs offline.',
    ].join('\n');
  const schleuder = s.schleuderChildMs + s.schleuderAgentMs;
  return [
    head,
    '',
    `Schleuder ${s.version} (the Debian package), the GnuPG mailing list many security teams use, and`,
    `Embargo got the same ${s.messages} messages (the burst's reports, plain and PGP/MIME encrypted to the project key`,
    `alternating), one at a time, for ${s.recipients} recipients (the bench's maintainers, with the same keys).`,
    'Schleuder ran offline with a configuration of its own in a temporary folder (`schleuder install`,',
    'its sqlite database), the list made through its Ruby API (`Schleuder::ListBuilder`, the project key',
    'as the list key, `List#subscribe` with each key), `schleuder work <list> < message` per message, and',
    'its SMTP pointed at a sink in the bench. Its CPU is that of `schleuder work` and its children (gpg),',
    "from this process's children's time, plus the list's gpg-agent, a daemon, read from /proc. Embargo's",
    'is this process (the whole local runtime with its stand-in stores) from SMTP to the last mail',
    `written, after ${5} messages to warm up. "GnuPG alone" is the list's cryptography with the gpg command:`,
    'decrypt an encrypted message, then sign and encrypt it once for each recipient.',
    '',
    mdTable(
      ['Measure', 'Per message'],
      [
        [
          'Schleuder: CPU (`schleuder work` and gpg; its gpg-agent)',
          `${formatMs(schleuder)} (${formatMs(s.schleuderChildMs)}; ${formatMs(s.schleuderAgentMs)})`,
        ],
        ['Schleuder: wall time', formatMs(s.schleuderWallMs)],
        [
          'Schleuder: of its CPU, starting Ruby and loading Schleuder (`schleuder version`)',
          formatMs(s.schleuderStartMs),
        ],
        [
          'Schleuder: mails sent to the recipients',
          `${(s.schleuderMails / s.messages).toFixed(2)} (${s.schleuderMails} in all)`,
        ],
        ['Embargo: CPU, warm (acknowledgment and 3 copies)', formatMs(s.embargoWarmMs)],
        ['Embargo: CPU of the first message after local mode started', formatMs(s.embargoFirstMs)],
        ['Embargo: wall time, warm', formatMs(s.embargoWallMs)],
        [
          'GnuPG alone: CPU (decrypt, 3× sign and encrypt; share of the agent)',
          `${formatMs(s.gnupgMs)} (${Math.round(s.gnupgAgentShare * 100)} %)`,
        ],
        ['Schleuder ÷ Embargo (CPU)', (schleuder / s.embargoWarmMs).toFixed(1)],
      ],
    ),
    '',
    `Schleuder runs once per mail (from the MTA), so each message pays its start: ${formatMs(s.schleuderStartMs)} of the`,
    `${formatMs(schleuder)}. Embargo's local mode is one long-running process, as a warm Lambda container is. Embargo`,
    'also sends an acknowledgment to the reporter, which Schleuder does not.',
    'Figures, not targets: reproduce with `apt-get install schleuder` and',
    '`npm run bench -- --only schleuder` (no document is written for a partial run).',
  ].join('\n');
}
