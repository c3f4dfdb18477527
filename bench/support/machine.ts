import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { now } from './bench-support';

/** What this machine is, for the record. */
export function machineDescription(): {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
} {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
  };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** utime + stime + cutime + cstime of this process (children it has waited for included). */
function ownTicks(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  // After the command name: state is field 3, so utime (14) is index 11 here.
  return fields.slice(11, 15).reduce((a, b) => a + b, 0);
}

export interface CpuShare {
  wallMs: number;
  /** Cores busy on the whole machine, on average. */
  machineCores: number;
  /** Cores this bench used (its own process and the children it ran). */
  benchCores: number;
  /** Cores used by everything else on the machine (other people's tests, ...). */
  otherCores: number;
  loadAverage: number;
}

/** Measures how busy the machine was over a phase, and how much of that was someone else. */
export function cpuMeter(): () => CpuShare {
  const started = now();
  const machine = machineTicks();
  const own = ownTicks();
  const cores = cpus().length;
  return () => {
    const wallMs = now() - started;
    const m = machineTicks();
    const busyShare = (m.busy - machine.busy) / Math.max(1, m.total - machine.total);
    const benchCores = (ownTicks() - own) / TICKS_PER_SECOND / (wallMs / 1000);
    const machineCores = busyShare * cores;
    return {
      wallMs,
      machineCores,
      benchCores,
      otherCores: Math.max(0, machineCores - benchCores),
      loadAverage: loadavg()[0] ?? 0,
    };
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

const CATEGORIES: [RegExp, string][] = [
  [
    /^(dynalite|levelup|leveldown|memdown|classic-level|abstract-level|abstract-leveldown|level-[\w-]+|deferred-leveldown|encoding-down|lazy|big\.js|buffer-crc32|lock|once|async|subleveldown|module-error|maybe-combine-errors|napi-macros|node-gyp-build|catering)$/,
    'dynalite (local DynamoDB) and its LevelDB',
  ],
  [
    /^(s3rver|koa|koa-[\w-]+|@koa\/[\w-]+|xmlbuilder2?|@oozcitak\/[\w-]+|busboy|streamsearch|fast-xml-parser|statuses|http-errors|on-finished|mime-types|mime-db|type-is|content-type|content-disposition|fresh|vary|accepts|negotiator|co-body|raw-body|inflation|iconv-lite-umd)$/,
    's3rver (local S3)',
  ],
  [
    /^(@aws-sdk\/[\w-]+|@smithy\/[\w-]+|@aws-crypto\/[\w-]+|bowser|uuid|tslib|strnum|mnemonist)$/,
    'AWS SDK v3 clients',
  ],
  [/^(openpgp|@noble\/[\w-]+|@openpgp\/[\w-]+)$/, 'openpgp'],
  [
    /^(mailparser|libmime|libqp|libbase64|iconv-lite|encoding-japanese|@zone-eu\/mailsplit|he|html-to-text|linkify-it|tlds|punycode(\.js)?|htmlparser2|entities|domhandler|domutils|dom-serializer|selderee|parseley|leac|peberminta|deepmerge-ts|uc\.micro)$/,
    'mailparser / libmime',
  ],
  [/^nodemailer$/, 'nodemailer (MailComposer, SMTP client)'],
  [/^(smtp-server|ipv6-normalize|base32\.js|punycode)$/, 'smtp-server (the gateway)'],
];

function categorize(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle (waiting for I/O)';
    return '(program): V8 and native work not attributed to a JS function';
  }
  if (url.startsWith('node:')) return 'Node.js internals (http, net, streams, fs)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) {
    for (const [pattern, name] of CATEGORIES) if (pattern.test(pkg)) return name;
    return `other packages`;
  }
  if (/\/bench\//.test(url)) return 'bench harness (SMTP client, outbox watcher)';
  if (/\/(shared|infra|functions)\//.test(url)) return 'Embargo code';
  return 'other';
}

/** Runs `work` under V8's sampling profiler and returns self time by category (ms). */
export async function profileCategories<T>(work: () => Promise<T>): Promise<{
  result: T;
  totalMs: number;
  byCategory: Map<string, number>;
  byPackage: Map<string, number>;
  byNodeInternal: Map<string, number>;
}> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = (await session.post('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] };
    };
    const totalMs = (profile.endTime - profile.startTime) / 1000;
    const perSample = totalMs / Math.max(1, profile.samples.length);
    const byCategory = new Map<string, number>();
    const byPackage = new Map<string, number>();
    const byNodeInternal = new Map<string, number>();
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * perSample;
      if (!ms) continue;
      const category = categorize(node);
      byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(node.callFrame.url)?.[1];
      if (pkg) byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
      const { url } = node.callFrame;
      if (url.startsWith('node:')) byNodeInternal.set(url, (byNodeInternal.get(url) ?? 0) + ms);
    }
    return { result, totalMs, byCategory, byPackage, byNodeInternal };
  } finally {
    await session.post('Profiler.disable').catch(() => {});
    session.disconnect();
  }
}
