import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// `npm run layers` checks the real tree against .dependency-cruiser.cjs. These tests check the
// rules themselves: on a small tree of their own, an import that goes up a layer or sideways
// fails, one that goes down passes, and every folder of the real tree has its place.
const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Rule {
  name: string;
  from: { path: string };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(CONFIG) as {
  forbidden: Rule[];
  layers: { name: string; folders: string[] }[];
};
const layered = config.forbidden
  .filter((r) => r.name.startsWith('layer:'))
  .map((r) => r.name.slice('layer:'.length));

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Runs the layer check over a tree of the given files and returns what it refused. */
function violationsIn(files: Record<string, string>): Violation[] {
  const dir = mkdtempSync(join(tmpdir(), 'embargo-layers-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    let output: string;
    try {
      output = execFileSync(
        process.execPath,
        [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', 'shared', 'functions'],
        { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch (err) {
      // depcruise exits with the number of errors; the report is still on stdout.
      output = (err as { stdout: string }).stdout;
    }
    const report = JSON.parse(output) as { summary: { violations: Violation[] } };
    return report.summary.violations;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// One small tree holds every case, so the check runs once: each import is named for what the
// layers make of it.
const probeTree = {
  'shared/time/clock.ts': 'export interface Clock { now(): Date }\n',
  'shared/errors.ts': 'export class EmbargoError extends Error {}\n',
  'shared/acknowledgment/acknowledger.ts': 'export const ack = 1;\n',
  // Down: functions -> intake -> time and errors.ts.
  'functions/intake.ts': "export { IntakeService } from '../shared/intake/intake-service';\n",
  'shared/intake/intake-service.ts': [
    "import type { Clock } from '../time/clock';",
    "import { EmbargoError } from '../errors';",
    'export class IntakeService { c?: Clock; e = EmbargoError; }',
  ].join('\n'),
  // Up, and only a type: cases sits below intake.
  'shared/cases/case-id.ts':
    "import type { IntakeService } from '../intake/intake-service';\nexport type Up = IntakeService;\n",
  // Sideways: notices and acknowledgment share a layer.
  'shared/notices/notice-service.ts':
    "import { ack } from '../acknowledgment/acknowledger';\nexport const n = ack;\n",
  // A folder no layer names.
  'shared/helpers/anything.ts':
    "import type { Clock } from '../time/clock';\nexport type C = Clock;\n",
};

describe('the layer check (.dependency-cruiser.cjs)', () => {
  const found = violationsIn(probeTree).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);

  it('refuses an import from a lower layer to a higher one, type-only imports too', () => {
    expect(found).toContain(
      'layer:shared/cases: shared/cases/case-id.ts -> shared/intake/intake-service.ts',
    );
  });

  it('refuses an import between two folders of the same layer', () => {
    expect(found).toContain(
      'layer:shared/notices: shared/notices/notice-service.ts -> shared/acknowledgment/acknowledger.ts',
    );
  });

  it('refuses code in a folder that no layer names', () => {
    expect(found).toContain('not-in-a-layer: shared/helpers/anything.ts -> shared/time/clock.ts');
  });

  it('lets a layer import the layers below it, errors.ts included (nothing else is refused)', () => {
    expect(found).toHaveLength(3);
  });

  it('places every folder of the source tree in one layer, and names no folder that is gone', () => {
    const shared = readdirSync(join(ROOT, 'shared'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `shared/${e.name}`);
    const expected = ['bin', 'bench', 'scripts', 'infra', 'functions', 'shared/errors', ...shared];
    expect([...layered].sort()).toEqual([...expected].sort());
    expect(new Set(layered).size).toBe(layered.length);
    expect(existsSync(join(ROOT, 'shared', 'errors.ts'))).toBe(true);
  });

  it('is the order docs/architecture.md states, layer by layer', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const table = doc.slice(doc.indexOf('### The layers'));
    const rows = [...table.matchAll(/^\| [^|]+ \| (`.+`) +\|$/gm)].map((m) =>
      [...m[1]!.matchAll(/`([^`]+)`/g)].map((f) => f[1]!.replace(/(\/|\.ts)$/, '')),
    );
    expect(rows).toEqual(config.layers.map((layer) => layer.folders));
  });
});
