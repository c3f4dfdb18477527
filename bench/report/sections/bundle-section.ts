/** Section 3 of docs/benchmarks.md: the function bundles, their load times and contents. */
import { formatMiB, formatMs } from '../../support/bench-support';
import type { Analysis } from '../analysis';
import { kib, mdTable, pct } from '../format';
import type { BenchResults } from '../results';

export function bundleSection(r: BenchResults, a: Analysis): string {
  const rows = a.bundles.map((x) => [
    `functions/${x.entry}.ts`,
    `${x.bytes.toLocaleString('en')} B (${formatMiB(x.bytes)})`,
    kib(x.gzipBytes),
    formatMiB(x.mapBytes),
    x.separateBytes > 0 ? kib(x.separateBytes) : '—',
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
    'Each function bundled with esbuild as the stack bundles it (`bench/measurements/bundles.ts`, with the',
    'settings it shares with the stack from `infra/aws/functions/function-bundling.ts`): `bundle`,',
    "`platform: node`, `target: node22`, `minify`, `charset: utf8`, `sourcemap` without `sourcesContent`, package.json's",
    '`sideEffects`, ES module builds first (`mainFields: module, main`), the AWS SDK bundled except',
    'the credential providers a Lambda never reaches, libmime aliased to one build, the',
    '`import.meta.url` banner and define, and the configuration (the three maintainers above)',
    'inlined with `define` — the command line',
    "aws-cdk-lib's `NodejsFunction` runs — and, for intake, the parts the stack writes beside the",
    'bundle after bundling ("Beside it": pkijs for S/MIME as a file of its own, and the CJK charset',
    'tables as JSON), which Node reads only when a message needs them. Load time: a fresh `node -e` process that reads',
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
        'Beside it',
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
    `(${formatMs(a.stubBaselineMs)}); 10 alternating runs each, medians. Noisy when other processes run; treat`,
    'differences under ~20 ms as noise.',
    '',
    mdTable(['Left out', 'Bytes saved', 'Load time saved'], costRows),
  ].join('\n');
}
