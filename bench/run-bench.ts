/**
 * `npm run bench`: Embargo's performance on this machine, against its targets. Prints a table
 * and writes docs/benchmarks.md. Not part of `npm test`. Options: `npm run bench -- --help`
 * (bench/support/bench-options.ts).
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
import { runAwsRequests } from './measurements/aws-requests';
import { runDisclosureMinute } from './measurements/disclosure-minute';
import { disclosureSection } from './report/sections/disclosure-section';
import { runDuplicateDetection } from './measurements/duplicate-detection';
import { runSchleuderComparison } from './measurements/schleuder-comparison';
import { runStatsOverCases } from './measurements/stats-over-cases';
import {
  BenchUsageError,
  FLOOD_SENDERS,
  parseBenchOptions,
  type BenchOptions,
  type BenchPart,
} from './support/bench-options';
import { cpuMeter, machineDescription, type CpuShare } from './support/machine';
import { writeDocument } from './report/document';
import { partialSummary, terminalSummary } from './report/terminal-summary';
import {
  encryptedReport,
  plainReport,
  projectPublicKey,
  type BenchReport,
} from './support/report-messages';
import {
  isComplete,
  type BenchResults,
  type BundleResult,
  type PackageLoadCost,
  type PartialResults,
} from './report/results';
import type { EmbargoConfig } from '../shared/config/embargo-config';
import { errorMessage } from '../shared/errors';

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
const FLOOD_GENUINE = 20;
const FLOOD_CPU_SAMPLE = 200;
const SCHLEUDER_MESSAGES = 100;
/** A busy year and then some: `npx embargo stats` over this many cases (#28). */
const STATS_CASES = 10_000;
const DISCLOSURE_RUNS = 5;
/** Encrypted, a 20 MiB attachment makes a 37.7 MiB message: about the most SES receives (40 MB). */
const LARGE_ENCRYPTED_ATTACHMENT_BYTES = 20 * MB;

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

/** What a run measured: every part in a full run, the parts asked for with --only. */
type MeasuredParts = Omit<BenchResults, 'date' | 'startedAt' | 'durationMs' | 'machine' | 'phases'>;

async function measureBurst(
  config: EmbargoConfig,
  reportCount: number,
  phases: Record<string, CpuShare>,
): Promise<Pick<MeasuredParts, 'reports' | 'burst' | 'bare'>> {
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
  return { reports: reportCount, burst: burstResult, bare };
}

async function measureBundles(
  config: EmbargoConfig,
  phases: Record<string, CpuShare>,
): Promise<Pick<MeasuredParts, 'bundles' | 'stubBaselineMs' | 'packageCosts'>> {
  // 3. Bundles.
  const meter = cpuMeter();
  const steps = FUNCTIONS.length * 4 + PACKAGE_GROUPS.length + 1;
  const b = bar('3/6 bundles', steps);
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
          v.failed = errorMessage(err).split('\n')[0] ?? 'failed';
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
  return { bundles, stubBaselineMs, packageCosts };
}

async function measureLarge(
  phases: Record<string, CpuShare>,
): Promise<Pick<MeasuredParts, 'large' | 'intakeLambda' | 'intakeLambdaEncrypted'>> {
  // 4. One report with a 25 MB attachment, in a fresh process.
  const meter = cpuMeter();
  const b = bar('4/6 25 MB report', 12);
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
  return { large, intakeLambda, intakeLambdaEncrypted };
}

async function measureFlood(
  config: EmbargoConfig,
  floodCount: number,
  phases: Record<string, CpuShare>,
): Promise<Pick<MeasuredParts, 'flood'>> {
  // 5. A flood with genuine reports among it (issue #17).
  const meter = cpuMeter();
  const b = bar('5/6 flood', floodCount + FLOOD_GENUINE);
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
  return { flood };
}

async function measureSchleuder(
  phases: Record<string, CpuShare>,
): Promise<Pick<MeasuredParts, 'schleuder'>> {
  // 6. The same messages through Schleuder and through Embargo, one at a time (#7, #17).
  const meter = cpuMeter();
  const b = bar('6/6 Schleuder', SCHLEUDER_MESSAGES * 2);
  const schleuder = await runSchleuderComparison(
    { messages: SCHLEUDER_MESSAGES },
    (detail, done, total) => {
      b.setTotal(total);
      b.update(done, { detail });
    },
  );
  b.stop();
  phases['schleuder'] = meter();
  return { schleuder };
}

async function measureStats(
  phases: Record<string, CpuShare>,
): Promise<Pick<MeasuredParts, 'stats'>> {
  // 7. `npx embargo stats` over a year's cases and more (#28).
  const meter = cpuMeter();
  const b = bar('stats', STATS_CASES);
  const stats = await runStatsOverCases(STATS_CASES, (done) => b.update(done, { detail: 'cases' }));
  b.stop();
  phases['stats'] = meter();
  return { stats };
}

async function measureDisclosure(
  config: EmbargoConfig,
  phases: Record<string, CpuShare>,
): Promise<Pick<MeasuredParts, 'disclosure'>> {
  // 8. Disclosure day: from the trigger to the last record published (#29).
  const meter = cpuMeter();
  const b = bar('disclosure day', DISCLOSURE_RUNS);
  const disclosure = await runDisclosureMinute(config, DISCLOSURE_RUNS, (done) => b.update(done));
  b.stop();
  phases['disclosure day'] = meter();
  return { disclosure };
}

function measureDuplicates(
  file: string | undefined,
  phases: Record<string, CpuShare>,
): Pick<MeasuredParts, 'duplicates'> {
  const meter = cpuMeter();
  const duplicates = runDuplicateDetection(file);
  phases['duplicates'] = meter();
  return { duplicates };
}

async function measure(options: BenchOptions): Promise<PartialResults> {
  const started = now();
  const startedAt = new Date();
  const config = benchConfig();
  const phases: Record<string, CpuShare> = {};
  const want = (part: BenchPart) => options.only.includes(part);
  const parts: Partial<MeasuredParts> = {
    ...(want('burst') ? await measureBurst(config, options.reports, phases) : {}),
    ...(want('bundles') ? await measureBundles(config, phases) : {}),
    ...(want('large') ? await measureLarge(phases) : {}),
    ...(want('flood') ? await measureFlood(config, options.flood, phases) : {}),
    ...(want('schleuder') ? await measureSchleuder(phases) : {}),
    ...(want('aws') ? { awsRequests: await runAwsRequests(config) } : {}),
    ...(want('stats') ? await measureStats(phases) : {}),
    ...(want('disclosure') ? await measureDisclosure(config, phases) : {}),
    ...(want('dupes') ? measureDuplicates(options.dupes, phases) : {}),
  };
  return {
    date: startedAt.toISOString().slice(0, 10),
    startedAt: startedAt.toISOString(),
    durationMs: now() - started,
    machine: machineDescription(),
    phases,
    ...parts,
  };
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), join(ROOT, 'docs', 'benchmarks.md'));
  if (!options) return;
  let results: PartialResults;
  if (options.fromJson) {
    try {
      results = JSON.parse(readFileSync(options.fromJson, 'utf8'), reviver) as PartialResults;
    } catch (err) {
      throw new BenchUsageError(
        `${options.fromJson} is not a run saved with --save-json (${errorMessage(err)}). Give --from-json the file a run printed at its end.`,
      );
    }
    if (!results.machine || !results.phases)
      throw new BenchUsageError(
        `${options.fromJson} is not a run saved with --save-json: it has no machine or phases. Give --from-json the file a run printed at its end.`,
      );
  } else {
    results = await measure(options);
    const saveTo = options.saveJson ?? join(tmpdir(), `embargo-bench-${results.startedAt}.json`);
    // Report bodies are not needed to render again; keep the file small.
    writeFileSync(
      saveTo,
      JSON.stringify(results, (k, v) => (k === 'raw' ? undefined : replacer(k, v))),
    );
    console.error(`raw measurements: ${saveTo}`);
  }
  if (!isComplete(results)) {
    console.log(partialSummary(results));
    // Its table is the part's whole result: shown, since no document is written.
    if (results.disclosure) console.log(`\n${disclosureSection(results)}`);
    console.log('\nOnly some parts ran: docs/benchmarks.md is written by a run of every part.');
    return;
  }
  console.log(terminalSummary(results));
  if (options.doc) {
    await writeDocument(options.doc, results);
    console.log(`\nWritten: ${options.doc}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof BenchUsageError) console.error(`npm run bench: ${err.message}`);
  else console.error(err);
  process.exitCode = err instanceof BenchUsageError ? 2 : 1;
});
