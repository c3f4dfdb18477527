/**
 * `npm run bench`: Embargo's performance on this machine, against its targets. Prints a table
 * and writes docs/benchmarks.md. Not part of `npm test`. Options:
 *   --reports N     burst size (default 1000)
 *   --flood N       flood messages (default 2000, from 20 senders, with 20 genuine reports)
 *   --from-json F   only render the table and the document from a saved run (see --save-json)
 *   --save-json F   also keep the raw measurements (default: a file in the temp folder)
 *   --doc F         write the document to F instead of docs/benchmarks.md
 *   --no-doc        do not write the document
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { runBareWork } from './measurements/bare-work';
import { benchConfig, fixture, MB, median, now } from './support/bench-support';
import { runBurst } from './measurements/burst';
import {
  bundleFunction,
  FUNCTIONS,
  loadSplit,
  loadTimes,
  PACKAGE_GROUPS,
  stubbedLoadTimes,
} from './measurements/bundles';
import { runIntakeLambda } from './measurements/intake-lambda';
import { runLargeReport } from './measurements/large-report';
import { runFlood } from './measurements/flood';
import { cpuMeter, machineDescription, type CpuShare } from './support/machine';
import { writeDocument } from './report/document';
import { terminalSummary } from './report/terminal-summary';
import {
  encryptedReport,
  plainReport,
  projectPublicKey,
  type BenchReport,
} from './support/report-messages';
import type { BenchResults, BundleResult, PackageLoadCost } from './report/results';

// The Lambdas run on Node 22; the SDK's warning about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = join(__dirname, '..');
const UNLOADED_REPORTS = 40;
const PROFILED_REPORTS = 200;
const IN_FLIGHT = 8;
const LOAD_RUNS = 15;
const SPLIT_RUNS = 10;
const STUB_RUNS = 10;
const LARGE_ATTACHMENT_BYTES = 25 * MB;
const FLOOD_SENDERS = 20;
const FLOOD_GENUINE = 20;
const FLOOD_CPU_SAMPLE = 200;
/** Encrypted, a 20 MiB attachment makes a 37.7 MiB message: about the most SES receives (40 MB). */
const LARGE_ENCRYPTED_ATTACHMENT_BYTES = 20 * MB;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

function bar(label: string, total: number) {
  const b = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} [{bar}] {value}/{total} {detail}`,
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0, { detail: '' });
  return b;
}

/** Maps survive the JSON file as {"__map": entries}. */
const replacer = (_k: string, v: unknown) => (v instanceof Map ? { __map: [...v] } : v);
const reviver = (_k: string, v: unknown) =>
  v && typeof v === 'object' && '__map' in v
    ? new Map((v as { __map: [unknown, unknown][] }).__map)
    : v;

async function buildReports(
  count: number,
  runId: string,
  key: Awaited<ReturnType<typeof projectPublicKey>>,
  progress: () => void,
): Promise<BenchReport[]> {
  const reports: BenchReport[] = [];
  for (let i = 0; i < count; i++) {
    // Alternate, so that the mix is the same over every part of the burst.
    reports.push(i % 2 ? await encryptedReport(i, runId, key) : plainReport(i, runId));
    progress();
  }
  return reports;
}

async function measure(reportCount: number, floodCount: number): Promise<BenchResults> {
  const started = now();
  const startedAt = new Date();
  const config = benchConfig();
  const phases: Record<string, CpuShare> = {};
  const runId = `${process.pid.toString(36)}${Date.now().toString(36)}`;

  // 0. The messages, built before anything is timed.
  let meter = cpuMeter();
  const total = UNLOADED_REPORTS + reportCount + PROFILED_REPORTS;
  let b = bar('0/6 building reports', total);
  const key = await projectPublicKey(fixture('project-public.asc'));
  const tick = () => b.increment();
  const unloaded = await buildReports(UNLOADED_REPORTS, `u${runId}`, key, tick);
  const burst = await buildReports(reportCount, `b${runId}`, key, tick);
  const profiled = await buildReports(PROFILED_REPORTS, `p${runId}`, key, tick);
  b.stop();
  phases['building reports'] = meter();

  // 1. The burst, through the local runtime in this process.
  meter = cpuMeter();
  b = bar('1/6 burst (acks)', UNLOADED_REPORTS + reportCount + PROFILED_REPORTS);
  const burstResult = await runBurst(
    config,
    unloaded,
    burst,
    IN_FLIGHT,
    (stage, d) => {
      const offset =
        stage === 'warm-up'
          ? 0
          : stage === 'burst'
            ? UNLOADED_REPORTS
            : UNLOADED_REPORTS + reportCount;
      b.update(offset + d.acked, { detail: `${stage}: ${d.accepted} accepted, ${d.acked} acked` });
    },
    profiled,
  );
  b.stop();
  phases['burst'] = meter();

  // 2. The same work without I/O.
  meter = cpuMeter();
  b = bar('2/6 bare work', reportCount);
  const bare = await runBareWork(config, unloaded, burst, (done) => b.update(done));
  b.stop();
  phases['bare work'] = meter();

  // 3. Bundles.
  meter = cpuMeter();
  const steps = FUNCTIONS.length * 4 + PACKAGE_GROUPS.length + 1;
  b = bar('3/6 bundles', steps);
  const outDir = mkdtempSync(join(tmpdir(), 'embargo-bench-bundles-'));
  const bundles: BundleResult[] = [];
  let stubBaselineMs: number;
  const packageCosts: PackageLoadCost[] = [];
  try {
    for (const entry of FUNCTIONS) {
      b.increment({ detail: `${entry}: esbuild` });
      const built = await bundleFunction(ROOT, entry, outDir, config);
      b.increment({ detail: `${entry}: ${LOAD_RUNS} loads` });
      const loadMs = loadTimes(built.file, LOAD_RUNS);
      b.increment({ detail: `${entry}: ${LOAD_RUNS} loads, --enable-source-maps` });
      const loadWithSourceMapsMs = loadTimes(built.file, LOAD_RUNS, ['--enable-source-maps']);
      b.increment({ detail: `${entry}: compile/evaluate` });
      const split = loadSplit(built.file, SPLIT_RUNS);
      bundles.push({ ...built, loadMs, loadWithSourceMapsMs, split });
    }
    // What each group of packages costs to load: the intake bundle without it, stood in for.
    const variants: {
      group: string;
      packages: string[];
      file?: string;
      bytes: number;
      failed?: string;
    }[] = [];
    for (const group of PACKAGE_GROUPS) {
      b.increment({ detail: `intake without ${group.name}` });
      const built = await bundleFunction(
        ROOT,
        'intake',
        join(outDir, `without-${variants.length}`),
        config,
        group.packages,
      );
      variants.push({
        group: group.name,
        packages: group.packages,
        file: built.file,
        bytes: built.bytes,
      });
    }
    b.increment({ detail: 'package load costs' });
    const intakeFile = bundles.find((x) => x.entry === 'intake')!.file;
    const samples = new Map<string, number[]>([['baseline', []]]);
    // Round robin, so that a busy moment on the machine hits every variant alike.
    for (let i = 0; i < STUB_RUNS; i++) {
      samples.get('baseline')!.push(...stubbedLoadTimes(intakeFile, 1, []));
      for (const v of variants) {
        if (v.failed) continue;
        try {
          const list = samples.get(v.group) ?? [];
          list.push(...stubbedLoadTimes(v.file!, 1, v.packages));
          samples.set(v.group, list);
        } catch (err) {
          v.failed = (err as Error).message.split('\n')[0] ?? 'failed';
        }
      }
    }
    stubBaselineMs = median(samples.get('baseline')!);
    for (const v of variants) {
      packageCosts.push({
        group: v.group,
        withoutMs: v.failed ? NaN : median(samples.get(v.group) ?? []),
        bytesWithout: v.bytes,
        ...(v.failed ? { failed: v.failed } : {}),
      });
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  b.stop();
  phases['bundles'] = meter();

  // 4. One report with a 25 MB attachment, in a fresh process.
  meter = cpuMeter();
  b = bar('4/6 25 MB report', 12);
  const intakeLambda = await runIntakeLambda(LARGE_ATTACHMENT_BYTES, (what) =>
    b.increment({ detail: what }),
  );
  const intakeLambdaEncrypted = await runIntakeLambda(
    LARGE_ENCRYPTED_ATTACHMENT_BYTES,
    (what) => b.increment({ detail: `encrypted: ${what}` }),
    { encrypted: true },
  );
  const large = await runLargeReport(LARGE_ATTACHMENT_BYTES, (what) =>
    b.increment({ detail: what }),
  );
  b.stop();
  phases['25 MB report'] = meter();

  // 5. A flood with genuine reports among it (issue #17).
  meter = cpuMeter();
  b = bar('5/6 flood', floodCount + FLOOD_GENUINE);
  const flood = await runFlood(
    config,
    {
      floodSenders: FLOOD_SENDERS,
      perSender: Math.ceil(floodCount / FLOOD_SENDERS),
      genuine: FLOOD_GENUINE,
      cpuSample: FLOOD_CPU_SAMPLE,
    },
    (detail, done, total) => {
      b.setTotal(total);
      b.update(done, { detail });
    },
  );
  b.stop();
  phases['flood'] = meter();

  return {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    durationMs: now() - started,
    machine: machineDescription(),
    phases,
    reports: reportCount,
    burst: burstResult,
    bare,
    bundles,
    stubBaselineMs,
    packageCosts,
    large,
    intakeLambda,
    intakeLambdaEncrypted,
    flood,
  };
}

async function main(): Promise<void> {
  const fromJson = option('--from-json');
  let results: BenchResults;
  if (fromJson) {
    results = JSON.parse(readFileSync(fromJson, 'utf8'), reviver) as BenchResults;
  } else {
    const reports = Number(option('--reports') ?? 1000);
    if (!Number.isInteger(reports) || reports < 10)
      throw new Error('--reports must be at least 10');
    const flood = Number(option('--flood') ?? 2000);
    if (!Number.isInteger(flood) || flood < FLOOD_SENDERS * 6)
      throw new Error(
        `--flood must be at least ${FLOOD_SENDERS * 6} (more than 5 from each sender)`,
      );
    results = await measure(reports, flood);
    const saveTo =
      option('--save-json') ?? join(tmpdir(), `embargo-bench-${results.startedAt}.json`);
    // Report bodies are not needed to render again; keep the file small.
    writeFileSync(
      saveTo,
      JSON.stringify(results, (k, v) => (k === 'raw' ? undefined : replacer(k, v))),
    );
    console.error(`raw measurements: ${saveTo}`);
  }
  console.log(terminalSummary(results));
  if (!process.argv.includes('--no-doc')) {
    const file = option('--doc') ?? join(ROOT, 'docs', 'benchmarks.md');
    await writeDocument(file, results);
    console.log(`\nWritten: ${file}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
